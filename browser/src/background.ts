// The background: the context-menu entries and keyboard shortcuts. "Save page" saves at once
// and answers on the toolbar badge; "Save selection as excerpt" opens the popup's form.

import { capture } from './capture.js';
import { ConnectorError, savePage } from './connector.js';

const MENU_PAGE = 'dossier-save-page';
const MENU_SELECTION = 'dossier-save-selection';

chrome.runtime.onInstalled.addListener(() => {
  void chrome.contextMenus.removeAll().then(() => {
    chrome.contextMenus.create({
      id: MENU_PAGE,
      title: 'Save page to Dossier',
      contexts: ['page', 'frame', 'link', 'image'],
    });
    chrome.contextMenus.create({
      id: MENU_SELECTION,
      title: 'Save selection to Dossier as an excerpt',
      contexts: ['selection'],
    });
  });
});

async function badge(tabId: number | undefined, ok: boolean, title: string): Promise<void> {
  await chrome.action.setBadgeBackgroundColor({ color: ok ? '#2e7d32' : '#b3261e', tabId });
  await chrome.action.setBadgeText({ text: ok ? '✓' : '!', tabId });
  await chrome.action.setTitle({ title, tabId });
}

async function activeTab(tab?: chrome.tabs.Tab): Promise<chrome.tabs.Tab | undefined> {
  if (tab?.id !== undefined) return tab;
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  return active;
}

async function quickSave(given?: chrome.tabs.Tab): Promise<void> {
  const tab = await activeTab(given);
  if (tab?.id === undefined) return;
  try {
    const page = await capture(tab.id);
    const saved = await savePage({ ...page, selection: null });
    await badge(tab.id, true, `Dossier: ${saved.status.replace('_', ' ')} — ${saved.source.title}`);
  } catch (e) {
    const message = e instanceof ConnectorError || e instanceof Error ? e.message : String(e);
    await badge(tab.id, false, `Dossier: ${message}`);
  }
}

/** The popup, on the excerpt form; a small window where the browser cannot open the popup
 * from here. */
async function openExcerptForm(given?: chrome.tabs.Tab): Promise<void> {
  try {
    await chrome.action.openPopup();
  } catch {
    const tab = await activeTab(given);
    if (tab?.id === undefined) return;
    await chrome.windows.create({
      url: chrome.runtime.getURL(`popup.html?tab=${tab.id}`),
      type: 'popup',
      width: 420,
      height: 560,
    });
  }
}

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_PAGE) void quickSave(tab);
  if (info.menuItemId === MENU_SELECTION) void openExcerptForm(tab);
});

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === 'save-page') void quickSave(tab);
  if (command === 'save-selection') void openExcerptForm(tab);
});
