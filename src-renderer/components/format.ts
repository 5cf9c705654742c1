import type { TFunction } from 'i18next';

/** "12 s", "9 min", "3 h", "2 d" — the unit scale a glance needs. */
export function span(t: TFunction, ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('time.s', { n: s });
  const m = Math.round(s / 60);
  if (m < 60) return t('time.m', { n: m });
  const h = Math.round(m / 6) / 10;
  if (h < 48) return t('time.h', { n: h >= 10 ? Math.round(h) : h });
  return t('time.d', { n: Math.round(h / 24) });
}

export function ago(t: TFunction, at: number, now = Date.now()): string {
  if (now - at < 2000) return t('time.justNow');
  return t('time.ago', { t: span(t, now - at) });
}

export function until(t: TFunction, at: number, now = Date.now()): string {
  return span(t, at - now);
}

export function clock(at: number, lang: string): string {
  const d = new Date(at);
  const sameDay = new Date().toDateString() === d.toDateString();
  return sameDay
    ? d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function compact(n: number, lang: string): string {
  return new Intl.NumberFormat(lang, { notation: n >= 10_000 ? 'compact' : 'standard', maximumFractionDigits: 1 }).format(n);
}

/** The engine names unlabelled client keys "key #1"; say that in the user's language. */
export function keyName(t: TFunction, label: string | null | undefined): string {
  if (!label) return t('app.none');
  const m = /^key #(\d+)$/.exec(label);
  return m ? t('settings.keyN', { n: m[1] }) : label;
}

/** Provider names come from the engine in English; the "(subscription)" / "(API key)" part is ours to translate. */
export function providerName(t: TFunction, displayName: string): string {
  return displayName.replace(/\s*\((ChatGPT )?subscription\)$/i, (_m, chatgpt?: string) => t('accounts.suffixSubscription', { of: chatgpt ? 'ChatGPT ' : '' }));
}
