import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write';
import type { Prefs } from '../control/engine-facade';

const prefsSchema = z.object({
  language: z.enum(['system', 'en', 'zh-CN']).catch('system'),
  theme: z.enum(['system', 'light', 'dark']).catch('system'),
  launchAtLogin: z.boolean().nullable().catch(null),
  startProxyAtLaunch: z.boolean().nullable().catch(null),
});

/**
 * UI and desktop preferences that are not proxy config (language, theme, login item, start at
 * launch), in `prefs.json` next to the config. A damaged file falls back to defaults field by
 * field and is only replaced by the next deliberate change.
 */
export class PrefsStore {
  private value: Prefs;
  private readonly file: string;

  constructor(dataDir: string, mode: 'desktop' | 'headless') {
    this.file = path.join(dataDir, 'prefs.json');
    const desktop = mode === 'desktop';
    const defaults: Prefs = { language: 'system', theme: 'system', launchAtLogin: desktop ? false : null, startProxyAtLaunch: desktop ? true : null };
    let raw: unknown = {};
    try {
      // Read once at start-up, before any request is served.
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      raw = {};
    }
    const parsed = prefsSchema.safeParse({ ...defaults, ...(typeof raw === 'object' && raw ? raw : {}) });
    this.value = parsed.success ? parsed.data : defaults;
    if (!desktop) this.value = { ...this.value, launchAtLogin: null, startProxyAtLaunch: null };
  }

  get(): Prefs {
    return { ...this.value };
  }

  async set(patch: Partial<Prefs>): Promise<void> {
    this.value = { ...this.value, ...patch };
    await writeFileAtomic(this.file, `${JSON.stringify(this.value, null, 2)}\n`, { mode: 0o600 });
  }
}
