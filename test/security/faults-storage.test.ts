import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { logEntrySchema } from '../../src-shared/domain/usage';
import { toLogEntry } from '../../src-main/engine/control/mappers';
import { ConfigStore } from '../../src-main/engine/config/store';
import { createLogger } from '../../src-main/engine/log/logger';
import { createRuntime, type Runtime } from '../../src-main/engine/runtime';
import { faultConfig } from './faults-helpers';
import { startFaultUpstream, type FaultUpstream } from './faults-upstream';

/**
 * usage.db faults: the disk is full (SQLite's own SQLITE_FULL, reached through the real
 * database's page limit) or the file cannot be opened. Requests are served regardless, the log
 * says what happened to the records, and none is lost once the disk has room again.
 */
describe('usage.db faults', () => {
  let up: FaultUpstream | undefined;
  let runtime: Runtime | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await runtime?.close(500);
    await up?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    runtime = undefined;
    up = undefined;
    dir = undefined;
  });

  async function start(config: string) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sy-storage-'));
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, config);
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) });
    runtime = createRuntime({ config: await ConfigStore.open(file), dataDir: dir, logger, mode: 'headless', version: 'test' });
    const addr = await runtime.engine.start({ host: '127.0.0.1', port: 0 });
    return { url: `http://127.0.0.1:${addr.port}`, lines, engine: runtime.engine };
  }

  const chat = (url: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('disk full: every request is served, the log says the records wait in memory, and all of them land once there is room', async () => {
    up = await startFaultUpstream();
    up.faults.set('bad', 'html-200');
    const { url, lines, engine } = await start(faultConfig(up.url, ['bad', 'good']).replace('usage-sqlite:\n  enable: false', 'usage-sqlite:\n  enable: true'));
    const usage = engine.usage!;
    const db = (usage as unknown as { db: Database.Database }).db;
    // The database may not grow by a single page: exactly what a full disk looks like to SQLite.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    for (let i = 0; i < 20; i++) expect((await chat(url)).status).toBe(200);
    // What fitted into the pages already there went in; the rest waits in memory.
    usage.flush();
    expect(usage.pending()).toBeGreaterThan(0);
    const logged = lines.find((l) => l.includes('usage history write failed'));
    expect(logged).toBeDefined();
    expect(logged).toMatch(/database or disk is full/);
    expect(logged).toMatch(/kept in memory/);

    db.pragma('max_page_count = 1073741823');
    usage.flush();
    expect(usage.pending()).toBe(0);
    const rows = usage.recent(100);
    expect(rows).toHaveLength(20);
    // The explanation survived the round trip through usage.db, and is a valid log entry.
    const oldest = logEntrySchema.parse(toLogEntry(rows[rows.length - 1]));
    expect(oldest.tried?.map((t) => t.outcome)).toEqual(['failed', 'ok']);
    expect(oldest.tried?.[0]).toMatchObject({ status: 200, reason: expect.stringContaining('not JSON') });
    expect(oldest.upstreamMessage).toContain('<!DOCTYPE html>');
    // Later requests passed the broken key over while it cooled, and say until when.
    const newest = logEntrySchema.parse(toLogEntry(rows[0]));
    expect(newest.tried?.[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^cooling until /) });
    expect(newest.retryAt).toBeGreaterThan(Date.now());
  }, 30_000);

  it('usage.db cannot be opened: the proxy still serves, and says at start that history is off', async () => {
    up = await startFaultUpstream();
    // A db-path under a regular file: the folder can never be created.
    const blocker = path.join(os.tmpdir(), `sy-blocker-${process.pid}`);
    await writeFile(blocker, 'not a folder');
    try {
      const cfg = faultConfig(up.url, ['good']).replace('usage-sqlite:\n  enable: false', `usage-sqlite:\n  enable: true\n  db-path: ${blocker}/usage.db`);
      const { url, lines, engine } = await start(cfg);
      expect(engine.usage).toBeUndefined();
      expect(lines.some((l) => l.includes('persistence off') && l.includes('usage') && l.includes(blocker))).toBe(true);
      expect((await chat(url)).status).toBe(200);
    } finally {
      await rm(blocker, { force: true });
    }
  }, 30_000);
});
