import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const NOW = "2026-11-26T12:00:00Z";

function backend(): FakeBackend {
  const b = new FakeBackend();
  b.addSource({ title: "Quota notice", body: "The quota for the second quarter is unchanged." });
  return b;
}

async function openConnector(): Promise<HTMLElement> {
  await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
  const palette = await screen.findByRole("dialog", { name: "Command palette" });
  const input = palette.querySelector("input") as HTMLInputElement;
  await fireEvent.input(input, { target: { value: "browser connector" } });
  await fireEvent.keyDown(input, { key: "Enter" });
  return waitFor(() => {
    const dialog = document.querySelector<HTMLElement>("#connector-dialog");
    expect(dialog).not.toBeNull();
    return dialog as HTMLElement;
  });
}

describe("browser connector", () => {
  it("asks Allow / Deny for a waiting pairing request, and Allow hands out a token", async () => {
    const fake = backend();
    fake.pairings = [{ id: 7, client: "Firefox", origin: "moz-extension://0b6c1c4e", created_at: NOW }];
    fake.install();
    render(App);
    const prompt = await screen.findByRole("dialog", { name: "Firefox wants to save to Dossier" });
    expect(prompt.textContent).toContain("moz-extension://0b6c1c4e");
    await fireEvent.click(prompt.querySelector("#connector-allow") ?? document.body);
    expect(await screen.findByText("Firefox can now save to Dossier.")).not.toBeNull();
    expect(fake.called("connector_answer")[0]?.args).toEqual({ id: 7, allow: true });
    await waitFor(() => {
      expect(document.querySelector("#connector-pairing")).toBeNull();
    });
    expect(fake.tokens.map((t) => t.client)).toEqual(["Firefox"]);
  });

  it("Deny refuses the request and hands out nothing", async () => {
    const fake = backend();
    fake.pairings = [{ id: 3, client: "Chromium", origin: "chrome-extension://abc", created_at: NOW }];
    fake.install();
    render(App);
    const prompt = await screen.findByRole("dialog", { name: "Chromium wants to save to Dossier" });
    await fireEvent.click(prompt.querySelector("#connector-deny") ?? document.body);
    expect(await screen.findByText("Chromium was refused.")).not.toBeNull();
    expect(fake.called("connector_answer")[0]?.args).toEqual({ id: 3, allow: false });
    expect(fake.tokens).toHaveLength(0);
  });

  it("lists the tokens and revokes one", async () => {
    const fake = backend();
    fake.tokens = [
      { id: 1, uid: "a", client: "Firefox", created_at: NOW, last_used_at: NOW, revoked_at: null },
      { id: 2, uid: "b", client: "Chromium", created_at: NOW, last_used_at: null, revoked_at: null },
    ];
    fake.install();
    render(App);
    await screen.findByText("Quota notice");
    const dialog = await openConnector();
    expect((await screen.findByText(/Listening on 127\.0\.0\.1:47810/)).textContent).toContain("workspace.sqlite");
    const rows = await waitFor(() => {
      const found = [...dialog.querySelectorAll<HTMLElement>(".token-row")];
      expect(found).toHaveLength(2);
      return found;
    });
    expect(rows[1]?.textContent).toContain("never used");
    await fireEvent.click(screen.getByRole("button", { name: "Revoke the token of Chromium" }));
    expect(await screen.findByText("The token of Chromium was revoked.")).not.toBeNull();
    await waitFor(() => {
      expect(dialog.querySelectorAll(".token-revoke")).toHaveLength(1);
    });
    expect(fake.called("connector_revoke")[0]?.args).toEqual({ id: 2 });
  });
});
