import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../src-shared/domain';
import { en } from './en';
import { zhCN } from './zh-CN';

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** `system` follows the browser/OS language: Chinese variants get zh-CN, everything else English. */
export function resolveLanguage(pref: Language, navLang = typeof navigator !== 'undefined' ? navigator.language : 'en'): 'en' | 'zh-CN' {
  if (pref !== 'system') return pref;
  return /^zh\b/i.test(navLang) ? 'zh-CN' : 'en';
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: resolveLanguage('system'),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function applyLanguage(pref: Language): void {
  const lng = resolveLanguage(pref);
  if (i18n.language !== lng) void i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}
