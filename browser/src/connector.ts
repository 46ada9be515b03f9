// Talking to Dossier's connector: port discovery, pairing, and the three calls that need a token.
// Everything here runs in the extension's own pages (popup, background), never in a web page.

export const DEFAULT_PORT = 47810;
export const PORT_RANGE = 10;

export interface Selection {
  text: string;
  prefix: string;
  suffix: string;
}

/** A page as the browser rendered it, and what the analyst adds to it. */
export interface PageCapture {
  url: string;
  title: string;
  html: string;
  canonical_url?: string | null;
  selection?: Selection | null;
  note?: string;
  tags?: string[];
  question?: string;
  unanchored_ok?: boolean;
}

export interface SavedSource {
  id: number;
  title: string;
  url: string | null;
  excerpt_count: number;
}

export interface SavedPage {
  source: SavedSource;
  excerpt?: { id: number; quote: string; start: number; end: number; tags: string[] };
  status: 'imported' | 'already_present' | 'updated';
  unanchored?: boolean;
}

export interface TagSuggestion {
  path: string;
  label: string;
  label_fr: string | null;
}

/** A refusal from the connector, or no connector at all (`code: "offline"`). */
export class ConnectorError extends Error {
  constructor(
    public code: string,
    message: string,
    public status = 0,
  ) {
    super(message);
  }
}

interface Stored {
  port?: number;
  token?: string;
  pairing?: string;
}

async function stored(): Promise<Stored> {
  return (await chrome.storage.local.get(['port', 'token', 'pairing'])) as Stored;
}

function base(port: number): string {
  return `http://127.0.0.1:${port}`;
}

async function ping(port: number): Promise<boolean> {
  try {
    const r = await fetch(`${base(port)}/v1/ping`, {
      signal: AbortSignal.timeout(3000),
      cache: 'no-store',
      credentials: 'omit',
    });
    if (!r.ok) return false;
    const body = (await r.json()) as { app?: string };
    return body.app === 'dossier';
  } catch {
    return false;
  }
}

/** The port found by this page, asked once: a popup makes several calls in a row (tag
 * suggestions as the analyst types), and a ping before each would only queue behind them. */
let known: Promise<number> | null = null;

/** The port Dossier answers on: the one that worked last, else the first of the range that
 * answers `GET /v1/ping` as Dossier. */
export function discover(): Promise<number> {
  known ??= find().catch((e: unknown) => {
    known = null;
    throw e;
  });
  return known;
}

async function find(): Promise<number> {
  const { port } = await stored();
  if (port && (await ping(port))) return port;
  for (let p = DEFAULT_PORT; p < DEFAULT_PORT + PORT_RANGE; p++) {
    if (p !== port && (await ping(p))) {
      await chrome.storage.local.set({ port: p });
      return p;
    }
  }
  throw new ConnectorError(
    'offline',
    'Dossier is not running (no connector on 127.0.0.1, ports 47810–47819).',
  );
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const port = await discover();
  const headers: Record<string, string> = { 'X-Dossier-Connector': '1' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let r: Response;
  try {
    r = await fetch(`${base(port)}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    // Dossier may have restarted on another port of the range: look again next time.
    known = null;
    throw new ConnectorError('offline', `Dossier could not be reached: ${String(e)}`);
  }
  const answer = (await r.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string };
  };
  if (!r.ok) {
    const code = answer.error?.code ?? 'error';
    if (code === 'unauthorized') await chrome.storage.local.remove(['token']);
    throw new ConnectorError(code, answer.error?.message ?? `HTTP ${r.status}`, r.status);
  }
  return answer as T;
}

async function token(): Promise<string> {
  const { token } = await stored();
  if (!token) throw new ConnectorError('unpaired', 'Pair with Dossier first.');
  return token;
}

export async function isPaired(): Promise<boolean> {
  return Boolean((await stored()).token);
}

/** The browser's name, as the Allow / Deny prompt shows it. */
export function browserName(): string {
  const ua = navigator.userAgent;
  if (/Firefox\//.test(ua)) return 'Firefox';
  if (/Edg\//.test(ua)) return 'Edge';
  if (/Chrome\//.test(ua)) return 'Chromium';
  return 'Browser';
}

/** Asks Dossier to pair; the analyst answers in Dossier (or `dossier connector pair --approve`). */
export async function requestPairing(): Promise<void> {
  const r = await call<{ secret: string }>('POST', '/v1/pair', { client: browserName() });
  await chrome.storage.local.set({ pairing: r.secret });
}

/** One poll of the pairing request: `paired`, still `pending`, `denied`, or `none` waiting. */
export async function pollPairing(): Promise<'paired' | 'pending' | 'denied' | 'none'> {
  const { pairing } = await stored();
  if (!pairing) return 'none';
  let r: { status: string; token?: string };
  try {
    r = await call('GET', `/v1/pair/${pairing}`);
  } catch (e) {
    if (e instanceof ConnectorError && e.code === 'not_found') {
      await chrome.storage.local.remove(['pairing']);
      return 'none';
    }
    throw e;
  }
  if (r.status === 'approved' && r.token) {
    await chrome.storage.local.set({ token: r.token });
    await chrome.storage.local.remove(['pairing']);
    return 'paired';
  }
  if (r.status === 'denied') {
    await chrome.storage.local.remove(['pairing']);
    return 'denied';
  }
  return 'pending';
}

export async function forget(): Promise<void> {
  await chrome.storage.local.remove(['token', 'pairing']);
}

export async function savePage(page: PageCapture): Promise<SavedPage> {
  return call<SavedPage>('POST', '/v1/pages', page, await token());
}

export async function suggestTags(typed: string): Promise<TagSuggestion[]> {
  const r = await call<{ tags: TagSuggestion[] }>(
    'GET',
    `/v1/tags?q=${encodeURIComponent(typed)}`,
    undefined,
    await token(),
  );
  return r.tags;
}

export async function alreadySaved(
  url: string,
  canonical?: string | null,
): Promise<SavedSource | null> {
  let q = `url=${encodeURIComponent(url)}`;
  if (canonical) q += `&canonical=${encodeURIComponent(canonical)}`;
  const r = await call<{ saved: boolean; source: SavedSource | null }>(
    'GET',
    `/v1/sources?${q}`,
    undefined,
    await token(),
  );
  return r.source;
}
