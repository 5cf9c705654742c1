import type { Language, Theme } from '../src-shared/domain';
import { applyLanguage } from './i18n';

const PREF_KEY = 'switchyard.appearance';
let media: MediaQueryList | null = null;
let current: Theme = 'system';

function resolved(theme: Theme): 'light' | 'dark' {
  if (theme !== 'system') return theme;
  return media?.matches ? 'dark' : 'light';
}

function paint(): void {
  document.documentElement.dataset.theme = resolved(current);
  document.documentElement.style.colorScheme = resolved(current);
}

/** Apply the theme; `system` follows the OS live. */
export function applyTheme(theme: Theme): void {
  current = theme;
  paint();
}

/** Settings arrive after connecting; until then use what we saw last time so there is no flash. */
export function bootTheme(): void {
  media = window.matchMedia?.('(prefers-color-scheme: dark)') ?? null;
  media?.addEventListener?.('change', paint);
  try {
    const saved = JSON.parse(localStorage.getItem(PREF_KEY) ?? 'null') as { theme?: Theme; language?: Language } | null;
    applyTheme(saved?.theme ?? 'system');
    applyLanguage(saved?.language ?? 'system');
  } catch {
    applyTheme('system');
  }
}

export function applyAppearance(theme: Theme, language: Language): void {
  applyTheme(theme);
  applyLanguage(language);
  try {
    localStorage.setItem(PREF_KEY, JSON.stringify({ theme, language }));
  } catch {
    // private mode: fine, the engine keeps the real setting
  }
}
