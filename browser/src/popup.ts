// The popup: pairing, "already saved?", Save page, and the excerpt form (note, tags with
// autocomplete from Dossier, follow-up question). Every text from the page or from Dossier is
// set as text, never as HTML.
//
// Test hook (documented in the README): `popup.html?tab=ID` or `popup.html?url=URL` works on
// that tab instead of the active one, so the popup can be opened as an ordinary page (the
// end-to-end test does; the background opens it so when the browser cannot open the popup).

import { capture, type Grabbed } from './capture.js';
import {
  ConnectorError,
  alreadySaved,
  discover,
  forget,
  isPaired,
  pollPairing,
  requestPairing,
  savePage,
  suggestTags,
  type SavedPage,
  type TagSuggestion,
} from './connector.js';
import { lang, t } from './i18n.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const state: { tabId?: number; page?: Grabbed; tags: string[]; suggestions: TagSuggestion[] } = {
  tags: [],
  suggestions: [],
};

function show(id: string, visible: boolean): void {
  $(id).hidden = !visible;
}

function say(text: string, kind: 'info' | 'ok' | 'error' = 'info', status = ''): void {
  const r = $('result');
  r.textContent = text;
  r.dataset.kind = kind;
  r.dataset.status = status;
}

function messageOf(e: unknown): string {
  if (e instanceof ConnectorError && e.code === 'offline') return t.offline;
  if (e instanceof ConnectorError) return t.error(e.message);
  return e instanceof Error ? e.message : String(e);
}

async function targetTab(): Promise<number | undefined> {
  const params = new URLSearchParams(location.search);
  const id = params.get('tab');
  if (id) return Number(id);
  const url = params.get('url');
  if (url) {
    const found = (await chrome.tabs.query({})).find((tab) => tab.url === url);
    return found?.id;
  }
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  return active?.id;
}

function label(): void {
  document.documentElement.lang = lang;
  $('pair').textContent = t.pair;
  $('save-page').textContent = t.savePage;
  $('save-excerpt').textContent = t.saveExcerpt;
  $('select-hint').textContent = t.selectHint;
  $('note-label').textContent = t.note;
  $('tags-label').textContent = t.tags;
  $<HTMLInputElement>('tag-input').placeholder = t.tagsPlaceholder;
  $('question-label').textContent = t.question;
  $('keep-unanchored').textContent = t.keepUnanchored;
  $('unpair').textContent = t.unpair;
}

async function start(): Promise<void> {
  label();
  $('connection').textContent = t.connecting;
  try {
    const port = await discover();
    $('connection').textContent = `127.0.0.1:${port}`;
  } catch (e) {
    $('connection').textContent = '';
    say(messageOf(e), 'error', 'offline');
    return;
  }
  if (!(await isPaired())) {
    show('pairing', true);
    $('pair-status').textContent = t.unpaired;
    // A request made earlier (the popup was closed meanwhile) may have been answered.
    if ((await pollPairing().catch(() => 'none')) !== 'none') void waitForPairing();
    return;
  }
  await showPage();
}

async function waitForPairing(): Promise<void> {
  $('pair-status').textContent = t.pairWaiting;
  $<HTMLButtonElement>('pair').disabled = true;
  document.body.dataset.pairing = 'pending';
  for (;;) {
    let answer;
    try {
      answer = await pollPairing();
    } catch (e) {
      say(messageOf(e), 'error');
      break;
    }
    if (answer === 'paired') {
      document.body.dataset.pairing = 'paired';
      show('pairing', false);
      say(t.paired, 'ok', 'paired');
      await showPage();
      return;
    }
    if (answer !== 'pending') {
      document.body.dataset.pairing = answer;
      $('pair-status').textContent = answer === 'denied' ? t.denied : t.unpaired;
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  $<HTMLButtonElement>('pair').disabled = false;
}

async function showPage(): Promise<void> {
  show('unpair', true);
  state.tabId = await targetTab();
  if (state.tabId === undefined) return;
  try {
    state.page = await capture(state.tabId);
  } catch (e) {
    say(messageOf(e), 'error');
    return;
  }
  show('page', true);
  const selected = state.page.selection;
  show('excerpt-form', Boolean(selected));
  show('select-hint', !selected);
  if (selected) {
    $('quote').textContent = selected.text;
    $('note').focus();
  }
  await refreshSaved();
}

async function refreshSaved(): Promise<void> {
  if (!state.page) return;
  const el = $('saved-state');
  el.textContent = t.checking;
  try {
    const source = await alreadySaved(state.page.url, state.page.canonical_url);
    el.textContent = source ? t.saved(source.title, source.excerpt_count) : t.notSaved;
    el.dataset.saved = source ? 'true' : 'false';
    el.dataset.excerpts = String(source?.excerpt_count ?? 0);
  } catch (e) {
    el.textContent = messageOf(e);
  }
}

function reported(saved: SavedPage): void {
  const title = saved.source.title;
  let text: string;
  if (saved.unanchored) text = t.unanchoredSaved(title);
  else if (saved.excerpt) text = t.excerptSaved(title);
  else if (saved.status === 'imported') text = t.imported(title);
  else if (saved.status === 'updated') text = t.updated(title);
  else text = t.alreadyPresent(title);
  say(text, 'ok', saved.excerpt ? 'excerpt' : saved.unanchored ? 'unanchored' : saved.status);
  $('result').dataset.source = String(saved.source.id);
}

async function saveWholePage(): Promise<void> {
  if (!state.page) return;
  say(t.saving);
  try {
    reported(await savePage({ ...state.page, selection: null }));
    await refreshSaved();
  } catch (e) {
    say(messageOf(e), 'error', e instanceof ConnectorError ? e.code : 'error');
  }
}

async function saveExcerpt(unanchoredOk: boolean): Promise<void> {
  if (!state.page?.selection) return;
  const input = $<HTMLInputElement>('tag-input');
  if (input.value.trim()) addTag(state.suggestions[0]?.path ?? input.value.trim());
  say(t.saving);
  show('keep-unanchored', false);
  try {
    const saved = await savePage({
      ...state.page,
      note: $<HTMLTextAreaElement>('note').value,
      tags: state.tags,
      question: $<HTMLInputElement>('question').value,
      unanchored_ok: unanchoredOk,
    });
    reported(saved);
    await refreshSaved();
  } catch (e) {
    if (e instanceof ConnectorError && e.code === 'selection_not_found') {
      say(t.notFound, 'error', 'selection_not_found');
      show('keep-unanchored', true);
    } else {
      say(messageOf(e), 'error', e instanceof ConnectorError ? e.code : 'error');
    }
  }
}

function drawTags(): void {
  const ul = $('tags');
  ul.replaceChildren();
  for (const tag of state.tags) {
    const li = document.createElement('li');
    li.textContent = tag;
    li.dataset.tag = tag;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.setAttribute('aria-label', t.removeTag(tag));
    remove.addEventListener('click', () => {
      state.tags = state.tags.filter((x) => x !== tag);
      drawTags();
    });
    li.append(remove);
    ul.append(li);
  }
}

function addTag(path: string): void {
  if (path && !state.tags.includes(path)) state.tags.push(path);
  const input = $<HTMLInputElement>('tag-input');
  input.value = '';
  state.suggestions = [];
  drawSuggestions();
  drawTags();
}

function drawSuggestions(): void {
  const list = $('tag-list');
  list.replaceChildren();
  state.suggestions.forEach((s, i) => {
    const li = document.createElement('li');
    li.role = 'option';
    li.dataset.path = s.path;
    li.setAttribute('aria-selected', String(i === 0));
    const name = lang === 'fr' && s.label_fr ? s.label_fr : s.label;
    li.textContent = name && name !== s.path ? `${s.path} — ${name}` : s.path;
    li.addEventListener('mousedown', (ev) => {
      ev.preventDefault();
      addTag(s.path);
    });
    list.append(li);
  });
  $('tag-input').setAttribute('aria-expanded', String(state.suggestions.length > 0));
}

let typed = 0;
async function suggest(): Promise<void> {
  const asked = ++typed;
  const text = $<HTMLInputElement>('tag-input').value.trim();
  if (!text) {
    state.suggestions = [];
    drawSuggestions();
    return;
  }
  try {
    const found = await suggestTags(text);
    if (asked !== typed) return;
    state.suggestions = found.filter((s) => !state.tags.includes(s.path));
    drawSuggestions();
    $('tag-list').dataset.for = text;
  } catch {
    // Suggestions are a help; typing goes on without them.
  }
}

$('pair').addEventListener('click', () => {
  // Firefox may hold back an MV3 extension's host permission until the person grants it; asked
  // here, in the click, where a browser allows the question (Chromium granted it at install).
  const granted = chrome.permissions
    .request({ origins: ['http://127.0.0.1/*'] })
    .catch(() => false);
  void (async () => {
    try {
      await granted;
      await requestPairing();
      await waitForPairing();
    } catch (e) {
      say(messageOf(e), 'error');
    }
  })();
});
$('save-page').addEventListener('click', () => void saveWholePage());
$('excerpt-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void saveExcerpt(false);
});
$('keep-unanchored').addEventListener('click', () => void saveExcerpt(true));
// Asked once typing pauses, not at every key.
let pause: ReturnType<typeof setTimeout> | undefined;
$('tag-input').addEventListener('input', () => {
  clearTimeout(pause);
  pause = setTimeout(() => void suggest(), 150);
});
$('tag-input').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' || ev.key === ',') {
    const input = ev.target as HTMLInputElement;
    if (!input.value.trim()) return;
    ev.preventDefault();
    addTag(state.suggestions[0]?.path ?? input.value.trim());
  }
});
$('note').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
    ev.preventDefault();
    void saveExcerpt(false);
  }
});
$('unpair').addEventListener('click', () => {
  void forget().then(() => location.reload());
});

void start();
