/**
 * Start-up robustness: one listener however many starts race, a close that leaves nothing
 * listening, and stores that cannot open degrade (logged, reported in the status) instead of
 * failing the engine.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../../src-main/engine/config/store';
import { Engine } from '../../../src-main/engine/engine';
import { createLogger } from '../../../src-main/engine/log/logger';
import { createRuntime } from '../../../src-main/engine/runtime';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function setup(extraYaml = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-startup-'));
  const file = path.join(dir, 'config.yaml');
  const yaml = `host: 127.0.0.1\nport: 0\nsecret-store: file\n${extraYaml}`;
  writeFileSync(file, yaml);
  const logs: Array<{ level: string; msg: string; store?: string; file?: string }> = [];
  const logger = createLogger({ level: 'info', write: (line) => logs.push(JSON.parse(line) as (typeof logs)[number]) });
  const config = ConfigStore.fromText(yaml, file);
  return { dir, logs, logger, config };
}

/** Resolves true when something accepts a TCP connection on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('Engine.start is single-flight', () => {
  it('two concurrent starts open one listener, and close() leaves nothing listening', async () => {
    const { dir, logger, config } = setup('usage-sqlite:\n  enable: false\n');
    const engine = new Engine({ config, dataDir: dir, logger });
    const [a, b] = await Promise.all([engine.start(), engine.start()]);
    expect(b).toEqual(a);
    expect(await listening(a.port)).toBe(true);
    await engine.close(100);
    expect(await listening(a.port)).toBe(false);
    expect(engine.state).toBe('stopped');
  });

  it('a close while a start is in flight waits for it, then stops it', async () => {
    const { dir, logger, config } = setup('usage-sqlite:\n  enable: false\n');
    const engine = new Engine({ config, dataDir: dir, logger });
    const started = engine.start();
    await engine.close(100);
    const addr = await started;
    expect(await listening(addr.port)).toBe(false);
    expect(engine.listening).toBeUndefined();
  });
});

describe('stores that cannot open', () => {
  it('an unreadable state.db (cooldowns and quota) and usage.db degrade with one logged line each; the engine serves', async () => {
    const { dir, logs, logger, config } = setup();
    writeFileSync(path.join(dir, 'state.db'), 'this is not a SQLite database, it is a text file that happens to be here');
    mkdirSync(path.join(dir, 'usage.db')); // a folder where the file should be
    const runtime = createRuntime({ config, dataDir: dir, logger, mode: 'desktop', version: 'test', uiDir: dir });
    cleanups.push(() => runtime.close(100));
    const { engine, control } = runtime;
    expect(engine.persistence).toEqual({ usage: false, cooldowns: false, quota: false });
    const off = logs.filter((l) => l.level === 'error');
    expect(off.map((l) => `${l.msg} ${l.store}`).sort()).toEqual(['persistence off cooldowns', 'persistence off quota', 'persistence off usage']);
    expect(off.find((l) => l.store === 'quota')?.file).toBe(path.join(dir, 'state.db'));
    const { port } = await engine.start();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const status = await control.handlers['app:status:get']({}, { transport: 'test' });
    expect(status.persistence).toEqual({ usage: false, cooldowns: false, quota: false });
  });

  it('with every store open the status says so', async () => {
    const { dir, logger, config } = setup();
    const runtime = createRuntime({ config, dataDir: dir, logger, mode: 'headless', version: 'test', uiDir: dir });
    cleanups.push(() => runtime.close(100));
    const status = await runtime.control.handlers['app:status:get']({}, { transport: 'test' });
    expect(status.persistence).toEqual({ usage: true, cooldowns: true, quota: true });
  });
});
