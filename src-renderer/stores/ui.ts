import { create } from 'zustand';

export const pages = ['dashboard', 'accounts', 'quota', 'usage', 'mappings', 'logs', 'settings'] as const;
export type Page = (typeof pages)[number];

export interface Toast {
  id: number;
  kind: 'info' | 'error' | 'success';
  text: string;
}

interface UiState {
  page: Page;
  toasts: Toast[];
  go(page: Page): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

let seq = 0;

function pageFromHash(): Page {
  const h = typeof location !== 'undefined' ? location.hash.replace(/^#\/?/, '') : '';
  return (pages as readonly string[]).includes(h) ? (h as Page) : 'dashboard';
}

export const useUi = create<UiState>()((set, get) => ({
  page: pageFromHash(),
  toasts: [],
  go(page) {
    // A real history entry per page: Back returns to the previous page, not out of the app.
    if (typeof location !== 'undefined' && location.hash !== `#/${page}`) location.hash = `#/${page}`;
    set({ page });
  },
  toast(kind, text) {
    const id = ++seq;
    set({ toasts: [...get().toasts, { id, kind, text }].slice(-4) });
    setTimeout(() => get().dismiss(id), kind === 'error' ? 8000 : 3500);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

// Back/Forward and hashes typed into the address bar move the app too.
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const page = pageFromHash();
    if (useUi.getState().page !== page) useUi.setState({ page });
  });
}
