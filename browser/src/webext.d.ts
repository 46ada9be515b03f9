// The few WebExtension APIs the extension calls, typed by hand: the same `chrome.*` names work
// in Chromium and (MV3, promise-based) in Firefox, and no @types package is needed to build.

declare namespace chrome {
  namespace runtime {
    const id: string;
    function getURL(path: string): string;
    function getManifest(): { version: string; name: string };
    const onInstalled: { addListener(cb: () => void): void };
    function sendMessage(message: unknown): Promise<unknown>;
    const onMessage: {
      addListener(
        cb: (message: unknown, sender: unknown, reply: (answer: unknown) => void) => boolean | void,
      ): void;
    };
  }
  namespace permissions {
    function request(p: { origins: string[] }): Promise<boolean>;
  }
  namespace storage {
    const local: {
      get(keys: string[]): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
      remove(keys: string[]): Promise<void>;
    };
  }
  namespace tabs {
    interface Tab {
      id?: number;
      url?: string;
      title?: string;
      windowId: number;
    }
    function query(q: { active?: boolean; currentWindow?: boolean; url?: string }): Promise<Tab[]>;
    function get(id: number): Promise<Tab>;
  }
  namespace scripting {
    function executeScript<T>(details: {
      target: { tabId: number };
      func: () => T;
    }): Promise<{ result?: T }[]>;
  }
  namespace contextMenus {
    function create(props: { id: string; title: string; contexts: string[] }): void;
    function removeAll(): Promise<void>;
    const onClicked: {
      addListener(cb: (info: { menuItemId: string | number }, tab?: tabs.Tab) => void): void;
    };
  }
  namespace commands {
    const onCommand: { addListener(cb: (command: string, tab?: tabs.Tab) => void): void };
  }
  namespace action {
    function openPopup(): Promise<void>;
    function setBadgeText(d: { text: string; tabId?: number }): Promise<void>;
    function setBadgeBackgroundColor(d: { color: string; tabId?: number }): Promise<void>;
    function setTitle(d: { title: string; tabId?: number }): Promise<void>;
  }
  namespace windows {
    function create(d: { url: string; type: string; width: number; height: number }): Promise<unknown>;
  }
}
