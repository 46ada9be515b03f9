// Reading the page: run in the tab by `scripting.executeScript`, so `grab` must use nothing
// from outside its own body. It only reads: the DOM as scripts left it, and the selection.

import type { PageCapture } from './connector.js';

/** How much of the page's text is sent on each side of the selection. */
export const CONTEXT_CHARS = 32;

export type Grabbed = Pick<PageCapture, 'url' | 'title' | 'html' | 'canonical_url' | 'selection'>;

export function grab(): Grabbed {
  const context = 32;
  const canonical = document.querySelector<HTMLLinkElement>('link[rel~="canonical"]');
  let selection: Grabbed['selection'] = null;
  const sel = window.getSelection();
  if (sel && sel.rangeCount > 0 && !sel.isCollapsed) {
    const range = sel.getRangeAt(0);
    const text = sel.toString();
    if (text.trim()) {
      const root = document.body ?? document.documentElement;
      const before = document.createRange();
      before.setStart(root, 0);
      before.setEnd(range.startContainer, range.startOffset);
      const after = document.createRange();
      after.setStart(range.endContainer, range.endOffset);
      after.setEnd(root, root.childNodes.length);
      const pre = before.toString();
      const post = after.toString();
      selection = {
        text,
        prefix: Array.from(pre).slice(-context).join(''),
        suffix: Array.from(post).slice(0, context).join(''),
      };
    }
  }
  return {
    url: location.href,
    title: document.title,
    html: document.documentElement.outerHTML,
    canonical_url: canonical?.href || null,
    selection,
  };
}

/** The page in `tabId`, read in the tab. */
export async function capture(tabId: number): Promise<Grabbed> {
  const [first] = await chrome.scripting.executeScript({ target: { tabId }, func: grab });
  if (!first?.result) throw new Error('The page could not be read (is it a browser page?).');
  return first.result;
}
