/**
 * Issue 17 "Trust", end to end through the real engine: a Codex account without purchased
 * credits (its answers say `x-codex-credits-has-credits: false`) raises no alarm and the tray
 * gauge, title and tooltip ignore the balance; a real window crossing a threshold warns once,
 * and its reset is announced once, both decided by the engine and only shown by the shell.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fake, readyFake } from '../../fakes/electron';
import { ConfigStore } from '../../../src-main/engine/config/store';
import { createLogger } from '../../../src-main/engine/log/logger';
import { createRuntime, type Runtime } from '../../../src-main/engine/runtime';
import { LoginItem } from '../../../src-main/shell/login-item';
import { startShell } from '../../../src-main/shell/shell-app';

let runtime: Runtime | undefined;
beforeEach(() => readyFake());
afterEach(async () => {
  await runtime?.close(100);
  runtime = undefined;
});

const codexHeaders = (used5h: number) => ({
  'x-codex-primary-used-percent': String(used5h),
  'x-codex-primary-window-minutes': '300',
  'x-codex-primary-reset-after-seconds': '1800',
  'x-codex-credits-has-credits': 'false',
  'x-codex-credits-unlimited': 'false',
});

describe('real engine → shell: balances never alarm', () => {
  it('a Codex account without credits shows no alarm and the tray gauge ignores it', async () => {
    fake.platform = 'darwin';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-trust-'));
    const file = path.join(dir, 'config.yaml');
    // No poll budget: readings come from the headers below only, nothing leaves the machine.
    const yaml = 'host: 127.0.0.1\nport: 0\nsecret-store: file\nusage-sqlite:\n  enable: false\nquota:\n  poll-budget-per-hour: 0\n';
    writeFileSync(file, yaml);
    runtime = createRuntime({ config: ConfigStore.fromText(yaml, file), dataDir: dir, logger: createLogger({ write: () => {} }), mode: 'desktop', version: 'test', uiDir: dir });
    const { engine, control } = runtime;
    await engine.ready();
    const account = await engine.registry!.add({
      provider: 'codex',
      label: 'cy@example.com',
      record: { type: 'codex', access_token: 'A', refresh_token: 'R', account_id: 'acct-1', email: 'cy@example.com', expired: '2036-01-01T00:00:00Z' },
    });
    const notes: string[] = [];
    const shell = startShell({
      control,
      preloadPath: '/app/dist/preload/preload.cjs',
      rendererDir: '/app/dist/renderer',
      startHidden: true,
      startProxyAtLaunch: false,
      loginItem: new LoginItem({ platform: 'linux', configHome: dir }),
      notify: (t, b) => notes.push(`${t}: ${b}`),
      trayThrottleMs: 0,
      platform: 'darwin',
    });
    const tray = fake.trays[0];

    engine.quota.book.observeHeaders(account.id, 'codex', codexHeaders(10));
    shell.tray.render();
    expect(notes).toEqual([]);
    expect(tray.title).toBe(''); // stopped: no gauge
    await control.desktop.start();
    shell.tray.render();
    expect(tray.title).toBe('90%');
    expect(tray.tooltip).toMatch(/\nTightest: cy@example\.com 5h 90% left, resets in 30m$/);
    expect(shell.tray.snapshot().quota[0].windows.find((w) => w.id === 'credits')).toMatchObject({ isBalance: true, usedPercent: 100 });

    // The 5h window crossing 20 % left warns once, from the engine's decision.
    engine.quota.book.observeHeaders(account.id, 'codex', codexHeaders(85));
    engine.quota.book.observeHeaders(account.id, 'codex', codexHeaders(86));
    expect(notes).toEqual(['Quota low: Codex (ChatGPT subscription) · cy@example.com: 5-hour window 15% left, resets in 30m.']);

    // The engine decides the window started over (usage fell) and, as it had warned, says so once.
    engine.quota.book.observeHeaders(account.id, 'codex', codexHeaders(10));
    expect(notes.slice(1)).toEqual(['Quota reset: Codex (ChatGPT subscription) · cy@example.com: 5-hour window is back to 90% left.']);
    // A new period of a window it never warned about is no news.
    engine.quota.book.observeHeaders(account.id, 'codex', codexHeaders(40));
    engine.quota.book.observeHeaders(account.id, 'codex', codexHeaders(2));
    expect(notes).toHaveLength(2);
    await shell.quit();
  }, 20_000);
});
