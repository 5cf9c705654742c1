import { afterEach, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigStore } from '../../src-main/engine/config/store';
import { createRuntime } from '../../src-main/engine/runtime';
import { silentLogger } from '../../src-main/engine/log/logger';

/**
 * D18: the data directory holds the config (secrets), request history (accounts, e-mails, key
 * labels) and account metadata. Other local users must not read any of it: the directory is
 * 0700, usage.db and state.db with their WAL files 0600, and existing looser ones (config.yaml,
 * accounts.json and auth files too) are tightened at start.
 */
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('data directory permissions', () => {
  it('tightens a 0755 data dir and 0644 databases left by an older version, WAL files included', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'sy-perm-'));
    dirs.push(parent);
    const dataDir = path.join(parent, '.switchyard');
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    for (const name of ['usage.db', 'state.db']) {
      const db = new Database(path.join(dataDir, name));
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE IF NOT EXISTS t (x)');
      db.close();
      await chmod(path.join(dataDir, name), 0o644);
    }
    const file = path.join(dataDir, 'config.yaml');
    await writeFile(file, 'port: 8317\nsecret-store: file\n', { mode: 0o644 });
    await chmod(file, 0o644);
    // Secrets copied in by hand or left by an older version.
    await writeFile(path.join(dataDir, 'accounts.json'), '{"version": 1, "accounts": {}}', { mode: 0o644 });
    await mkdir(path.join(dataDir, 'auth'), { mode: 0o700 });
    await writeFile(path.join(dataDir, 'auth', 'codex-a.json'), '{"type": "codex", "access_token": "t"}', { mode: 0o644 });
    await chmod(path.join(dataDir, 'accounts.json'), 0o644);
    await chmod(path.join(dataDir, 'auth', 'codex-a.json'), 0o644);
    const runtime = createRuntime({ config: await ConfigStore.open(file), dataDir, logger: silentLogger, mode: 'headless', version: 'test' });
    try {
      await runtime.engine.start({ host: '127.0.0.1', port: 0 });
      expect(await modeOf(file)).toBe(0o600);
      expect(await modeOf(path.join(dataDir, 'accounts.json'))).toBe(0o600);
      expect(await modeOf(path.join(dataDir, 'auth', 'codex-a.json'))).toBe(0o600);
      runtime.engine.usage?.record({ time: Date.now(), inboundFormat: 'openai-chat', requestedModel: 'm', inputTokens: 1, outputTokens: 1, reasoningTokens: 0, cachedTokens: 0, latencyMs: 1, status: 200, stream: false });
      runtime.engine.usage?.flush();
      expect(await modeOf(dataDir)).toBe(0o700);
      for (const name of ['usage.db', 'state.db']) {
        expect(await modeOf(path.join(dataDir, name)), name).toBe(0o600);
        for (const side of ['-wal', '-shm']) {
          const p = path.join(dataDir, name + side);
          const exists = await stat(p).then(() => true, () => false);
          if (exists) expect(await modeOf(p), name + side).toBe(0o600);
        }
      }
      expect(await modeOf(path.join(dataDir, 'usage.db-wal'))).toBe(0o600);
    } finally {
      await runtime.close(500);
    }
  });

  it('creates a missing data dir owner-only and new databases 0600', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'sy-perm-'));
    dirs.push(parent);
    const dataDir = path.join(parent, 'fresh', '.switchyard');
    const file = path.join(parent, 'config.yaml');
    await writeFile(file, 'port: 8317\n');
    const runtime = createRuntime({ config: await ConfigStore.open(file), dataDir, logger: silentLogger, mode: 'headless', version: 'test' });
    try {
      expect(await modeOf(dataDir)).toBe(0o700);
      // The databases open after start-up, or at once when something asks about them.
      expect(runtime.engine.persistence).toEqual({ usage: true, cooldowns: true, quota: true });
      expect(await modeOf(path.join(dataDir, 'usage.db'))).toBe(0o600);
      expect(await modeOf(path.join(dataDir, 'state.db'))).toBe(0o600);
    } finally {
      await runtime.close(500);
    }
  });
});
