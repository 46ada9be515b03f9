import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { CommandError } from "./lib/ipc";
import { FakeBackend, WORKSPACE } from "./test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function error(code: string, message: string): CommandError {
  return { code, message, existing_id: null, position: null, length: null };
}

describe("App", () => {
  it("shows the title and the workspace path", async () => {
    new FakeBackend().install();
    const { container } = render(App);

    expect(container.querySelector("#app-title")?.textContent).toBe("Dossier");
    await screen.findByText(WORKSPACE);
    expect(container.querySelector("#workspace-path")?.textContent).toBe(WORKSPACE);
  });

  it("tells a first-time user what to do and offers the sample workspace", async () => {
    const backend = new FakeBackend().install();
    const { container } = render(App);

    await screen.findByText("No sources yet");
    const empty = container.querySelector("#empty-library");
    expect(empty?.textContent).toContain("Paste a source");
    expect(empty?.textContent).toContain("Open a text file");
    expect(empty?.textContent).toContain("dossier source add FILE");
    expect(container.querySelectorAll(".source-row")).toHaveLength(0);

    await fireEvent.click(screen.getByRole("button", { name: "Open the sample workspace" }));
    await waitFor(() => {
      expect(backend.called("open_sample_workspace")).toHaveLength(1);
    });
    await screen.findByText(/You are trying the sample workspace/);
  });

  it("lists sources with title, outlet, published date, excerpt count and tag labels", async () => {
    const backend = new FakeBackend();
    const first = backend.addSource({
      title: "Ottawa and Washington open sector-by-sector tariff talks",
      outlet: "Northern Wire",
      authors: ["A. Tremblay"],
      published: "2025-03-12",
      tags: ["sector/steel"],
      body: "Steel and aluminum come first. Dairy is not on the table.",
    });
    backend.addExcerpt(first.id, { by: "quote", quote: "Steel and aluminum", occurrence: null });
    backend.addSource({ title: "Le Canada prolonge la consultation sur l'acier", lang: "fr", body: "L'acier d'abord." });
    backend.install();
    const { container } = render(App);

    await screen.findByText("Ottawa and Washington open sector-by-sector tariff talks");
    const rows = container.querySelectorAll(".source-row");
    expect(rows).toHaveLength(2);
    const row = container.querySelector(`.source-row[data-source-id="${first.id}"]`);
    expect(row?.querySelector(".source-outlet")?.textContent).toBe("Northern Wire");
    expect(row?.querySelector("time")?.getAttribute("datetime")).toBe("2025-03-12");
    expect(row?.querySelector(".source-excerpts")?.textContent.trim()).toBe("1 excerpt");
    expect(row?.querySelector('[data-tag="sector/steel"]')?.textContent.trim()).toBe("Steel");
    expect(container.querySelector('.source-title[lang="fr"]')?.textContent).toBe("Le Canada prolonge la consultation sur l'acier");
  });

  it("filters the library by tag from the tag tree, sources and excerpts alike", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Tagged steel", tags: ["sector/steel"], body: "One." });
    const dairy = backend.addSource({ title: "About dairy", body: "Supply management stays." });
    backend.addExcerpt(dairy.id, { by: "quote", quote: "Supply management", occurrence: null }, "", ["sector/dairy"]);
    backend.addSource({ title: "Untagged", body: "Nothing." });
    backend.install();
    const { container } = render(App);
    await screen.findByText("Untagged");

    const sector = container.querySelector<HTMLElement>('#tag-tree [data-tag="sector"]');
    expect(sector, "the tag tree should list the sector root").not.toBeNull();
    await fireEvent.click(sector ?? document.body);

    await waitFor(() => {
      const titles = [...container.querySelectorAll(".source-title")].map((t) => t.textContent);
      expect(titles.sort()).toEqual(["About dairy", "Tagged steel"]);
    });
    await fireEvent.click(screen.getByRole("button", { name: "Clear filter" }));
    expect(container.querySelectorAll(".source-row")).toHaveLength(3);
  });

  it("renders markup in titles as text, never as HTML", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "<img src=x onerror=alert(1)>Tariffs", body: "x" });
    backend.install();
    const { container } = render(App);

    await screen.findByText("<img src=x onerror=alert(1)>Tariffs");
    expect(container.querySelector(".source-row img")).toBeNull();
  });

  it("marks overdue follow-ups in the inbox, open ones first", async () => {
    const backend = new FakeBackend();
    backend.addFollowup({ text: "Long overdue question", due: "2020-01-01" });
    backend.addFollowup({ text: "Answered already" }, "answered");
    backend.install();
    const { container } = render(App);

    await screen.findByText("Long overdue question");
    const inbox = container.querySelector("#followup-inbox");
    expect(inbox?.textContent).toContain("1 overdue");
    expect(inbox?.querySelector(".badge.overdue")?.textContent).toMatch(/days overdue/);
    expect(inbox?.textContent).not.toContain("Answered already");
  });

  it("shows a backend error in plain words", async () => {
    const failure = error("workspace_unavailable", "The workspace at /tmp/ws.sqlite was made by a newer version of Dossier.");
    mockIPC((cmd) => {
      if (cmd === "workspace_info") {
        return { path: "/tmp/ws.sqlite", is_sample: false };
      }
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw failure;
    });
    const { container } = render(App);

    const alert = await screen.findByText("The library could not be loaded.");
    const notice = alert.closest("[role=alert]");
    expect(notice?.textContent).toContain(failure.message);
    expect(notice?.getAttribute("data-error-code")).toBe("workspace_unavailable");
    expect(container.querySelector("#empty-library")).toBeNull();
  });

  it("says once that no workspace could be found", async () => {
    const failure = error("invalid", "cannot find your home folder; set DOSSIER_DB to the workspace file to use");
    mockIPC(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw failure;
    });
    render(App);

    await screen.findByText("The library could not be loaded.");
    const alerts = screen.getAllByRole("alert").filter((a) => a.textContent.includes("home folder"));
    expect(alerts, "the same error should not be shown twice").toHaveLength(1);
    expect(alerts[0]?.textContent).toContain("Cannot find your home folder");
  });

  it("lists every action with its shortcut in the command palette, and runs the chosen one", async () => {
    new FakeBackend().install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const palette = await screen.findByRole("dialog", { name: "Command palette" });
    const options = [...palette.querySelectorAll("[role=option]")].map((o) => o.textContent);
    expect(options.some((o) => o.includes("New source") && o.includes("Ctrl+N"))).toBe(true);
    expect(options.some((o) => o.includes("Search") && o.includes("/"))).toBe(true);

    const input = palette.querySelector("input") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "tags" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => {
      expect(container.querySelector("#tags-view")).not.toBeNull();
    });
  });

  it("opens the paste dialog with Ctrl+N and adds the source", async () => {
    const backend = new FakeBackend().install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    const text = await screen.findByLabelText("Text");
    await fireEvent.input(text, { target: { value: "Ottawa said on Tuesday that talks would resume." } });
    await fireEvent.input(screen.getByLabelText("Title"), { target: { value: "Talks resume" } });
    await fireEvent.input(screen.getByLabelText("Outlet"), { target: { value: "Maple Wire" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add source" }));

    await waitFor(() => {
      expect(container.querySelector("#reader-title")?.textContent).toBe("Talks resume");
    });
    const sent = backend.called("add_source")[0]?.args["source"] as Record<string, unknown>;
    expect(sent["outlet"]).toBe("Maple Wire");
    expect(sent["body"]).toBe("Ottawa said on Tuesday that talks would resume.");
  });

  it("offers to open the existing source when pasted text is already there", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Already here", body: "Same text." });
    backend.install();
    render(App);
    await screen.findByText("Already here");

    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    await fireEvent.input(await screen.findByLabelText("Text"), { target: { value: "Same text." } });
    await fireEvent.click(screen.getByRole("button", { name: "Add source" }));

    await screen.findByText(/already in the workspace/);
    await fireEvent.click(screen.getByRole("button", { name: "Open the existing source" }));
    await waitFor(() => {
      expect(document.querySelector("#reader-title")?.textContent).toBe("Already here");
    });
  });

  it("focuses the search box with / and leaves letters alone while typing", async () => {
    new FakeBackend().install();
    render(App);
    await screen.findByText("No sources yet");

    await fireEvent.keyDown(document.body, { key: "/" });
    const search = screen.getByLabelText("Search excerpts, sources and follow-ups");
    await waitFor(() => {
      expect(document.activeElement).toBe(search);
    });
    const event = new KeyboardEvent("keydown", { key: "k", bubbles: true, cancelable: true });
    search.dispatchEvent(event);
    expect(event.defaultPrevented, "a bare K typed into the search box must stay a letter").toBe(false);
  });
});
