import type { SwitchyardConfig } from '../../../src-shared/config/schema';

/**
 * Settings CLIProxyAPI accepts that Switchyard reads but does not act on, and what happens instead.
 * In CLIProxyAPI v4/v5 a Gemini CLI 429 could retry the same account on another Google Cloud project
 * (`switch-project`) or on a preview model (`switch-preview-model`); since v6 its conductor rotates
 * accounts for every provider and the preview list is empty, so both are kept only for compatibility
 * (PROTOCOLS.md §6.6). Both default to true; only turning one off asks for a behaviour we lack.
 */
const UNSUPPORTED: ReadonlyArray<{ key: string; path: [string, string]; active: (c: SwitchyardConfig) => boolean }> = [
  {
    key: 'quota-exceeded.switch-project',
    path: ['quota-exceeded', 'switch-project'],
    active: (c) => c['quota-exceeded']['switch-project'] === false,
  },
  {
    key: 'quota-exceeded.switch-preview-model',
    path: ['quota-exceeded', 'switch-preview-model'],
    active: (c) => c['quota-exceeded']['switch-preview-model'] === false,
  },
];

/** One warning per unsupported setting the file changes from its default (file:line when known). */
export function unsupportedSettingWarnings(config: SwitchyardConfig, file: string, lineOf: (path: PropertyKey[]) => number | undefined): string[] {
  const out: string[] = [];
  for (const s of UNSUPPORTED) {
    if (!s.active(config)) continue;
    const line = lineOf(s.path);
    out.push(`${line ? `${file}:${line}` : file}: ${s.key} is not supported by Switchyard yet; quota failures fail over to the next account instead`);
  }
  return out;
}
