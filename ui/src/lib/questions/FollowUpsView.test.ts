import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function workspace(): { backend: FakeBackend; excerptId: number; followupId: number } {
  const backend = new FakeBackend();
  const source = backend.addSource({ title: "Sector talks", body: "Autos are third, after steel and aluminum." });
  const excerpt = backend.addExcerpt(source.id, { by: "quote", quote: "Autos are third", occurrence: null });
  const followup = backend.addFollowup({ text: "Which sectors follow metals?", excerpt_ids: [excerpt.id], due: "2020-02-02" });
  backend.addFollowup({ text: "Dropped long ago" }, "dropped");
  return { backend, excerptId: excerpt.id, followupId: followup.id };
}

async function openFollowups(backend: FakeBackend): Promise<HTMLElement> {
  backend.install();
  const { container } = render(App);
  await screen.findByText("Sector talks");
  await fireEvent.click(container.querySelector("#nav-followups") ?? document.body);
  await screen.findByRole("heading", { name: "Follow-ups", level: 2 });
  return container;
}

describe("FollowUpsView", () => {
  it("lists open follow-ups first with the overdue ones marked, and filters by status", async () => {
    const { backend } = workspace();
    const container = await openFollowups(backend);

    const items = [...container.querySelectorAll("#followup-list .item")];
    expect(items.map((i) => i.querySelector(".q")?.textContent)).toEqual(["Which sectors follow metals?"]);
    expect(items[0]?.classList.contains("late")).toBe(true);

    await fireEvent.click(container.querySelector('[data-filter="dropped"]') ?? document.body);
    expect(container.querySelector("#followup-list")?.textContent).toContain("Dropped long ago");
  });

  it("answers a follow-up with the excerpt that supports it", async () => {
    const { backend, excerptId, followupId } = workspace();
    const container = await openFollowups(backend);

    await fireEvent.click(container.querySelector(`[data-followup-id="${followupId}"]`) ?? document.body);
    const support = await waitFor(() => {
      const box = container.querySelector<HTMLInputElement>(`[data-support="${excerptId}"]`);
      expect(box).not.toBeNull();
      return box;
    });
    expect(support?.checked, "the excerpt the question is about is offered, checked").toBe(true);
    await fireEvent.input(screen.getByLabelText("Answer"), { target: { value: "Autos, then critical minerals." } });
    await fireEvent.click(screen.getByRole("button", { name: "Save answer" }));

    await waitFor(() => {
      expect(container.querySelector("#followup-status")?.textContent).toBe("answered");
    });
    expect(backend.called("answer_followup")[0]?.args).toEqual({
      id: followupId,
      answer: "Autos, then critical minerals.",
      excerpt_ids: [excerptId],
    });
    expect(container.querySelector(`[data-support-id="${excerptId}"]`)?.textContent).toContain("Autos are third");
  });

  it("sets the due date and owner, drops and reopens", async () => {
    const { backend, followupId } = workspace();
    const container = await openFollowups(backend);

    await fireEvent.click(container.querySelector(`[data-followup-id="${followupId}"]`) ?? document.body);
    await fireEvent.input(await screen.findByLabelText("Due"), { target: { value: "2030-01-15" } });
    await fireEvent.input(screen.getByLabelText("Owner"), { target: { value: "Trade policy" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => {
      expect(backend.followups.find((f) => f.id === followupId)?.owner).toBe("Trade policy");
    });
    expect(backend.followups.find((f) => f.id === followupId)?.due).toBe("2030-01-15");

    await fireEvent.click(screen.getByRole("button", { name: "Drop" }));
    await waitFor(() => {
      expect(backend.followups.find((f) => f.id === followupId)?.status).toBe("dropped");
    });
    await fireEvent.click(container.querySelector('[data-filter="all"]') ?? document.body);
    await fireEvent.click(container.querySelector(`[data-followup-id="${followupId}"]`) ?? document.body);
    await fireEvent.click(await screen.findByRole("button", { name: "Reopen" }));
    await waitFor(() => {
      expect(backend.followups.find((f) => f.id === followupId)?.status).toBe("open");
    });
  });

  it("jumps from a follow-up to the excerpt it concerns", async () => {
    const { backend, excerptId, followupId } = workspace();
    const container = await openFollowups(backend);

    await fireEvent.click(container.querySelector(`[data-followup-id="${followupId}"]`) ?? document.body);
    const jump = await waitFor(() => {
      const button = container.querySelector<HTMLButtonElement>(`.jump[data-excerpt-id="${excerptId}"]:not([disabled])`);
      expect(button).not.toBeNull();
      return button;
    });
    await fireEvent.click(jump ?? document.body);
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel")?.getAttribute("data-excerpt-id")).toBe(String(excerptId));
    });
  });
});
