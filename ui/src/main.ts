import "@fontsource-variable/inter";
import "@fontsource-variable/source-serif-4";
import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { startLanguage } from "./lib/i18n";

const target = document.getElementById("app");
if (!target) {
  throw new Error("index.html has no #app element");
}

// The language is settled before the first render, so no view ever flashes in the wrong one.
await startLanguage();

export default mount(App, { target });
