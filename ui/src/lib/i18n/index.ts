/**
 * Where components get their words: `m.some_key(params)` from the compiled catalogs
 * (ui/messages/en.json and fr.json, compiled by paraglide-js), the page's language, and the
 * error wording. A key missing from the catalogs is a type error at the call.
 */
export { m } from "../paraglide/messages.js";
export * from "./locale.svelte";
export { errorMessage, errorSentence, failure } from "./errors";
