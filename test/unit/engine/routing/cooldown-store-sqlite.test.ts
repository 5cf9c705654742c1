import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CooldownBook } from '../../../../src-main/engine/routing/cooldown-book';
import { SqliteCooldownStore } from '../../../../src-main/engine/routing/cooldown-store-sqlite';
import { FakeClock } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('SqliteCooldownStore', () => {
  it('cooldowns survive a restart, and are gone once their window has passed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cd-'));
    dirs.push(dir);
    const file = path.join(dir, 'nested', 'usage.db');
    const clock = new FakeClock();
    const until = clock.now() + 3_600_000;

    const store1 = new SqliteCooldownStore(file);
    const book1 = new CooldownBook({ clock, store: store1, saveDelayMs: 5 });
    book1.markFailure('acct-1', 'gpt-5', { kind: 'quota', scope: 'model', cooldownUntil: until, hint: 'codex-resets-at', message: 'usage limit' });
    book1.markFailure('acct-2', 'gpt-5', { kind: 'auth', scope: 'account', cooldownUntil: clock.now() + 60_000 });
    book1.markFailure('acct-3', 'gpt-5', { kind: 'rate-limit', scope: 'model' });
    await book1.flush();
    store1.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT COUNT(*) AS n FROM cooldowns').get()).toEqual({ n: 3 });
    db.close();

    clock.advance(120_000); // acct-2 and acct-3 are over by now; acct-1 is not
    const store2 = new SqliteCooldownStore(file);
    const book2 = new CooldownBook({ clock, store: store2, saveDelayMs: 5 });
    expect(await book2.restore()).toBe(1);
    expect(book2.entryFor('acct-1', 'gpt-5')).toMatchObject({ until, reason: 'quota', hint: 'codex-resets-at', message: 'usage limit' });
    expect(book2.isCooling('acct-2', 'x')).toBe(false);

    clock.t = until;
    expect(book2.isCooling('acct-1', 'gpt-5')).toBe(false);
    await book2.flush();
    expect(await store2.load()).toEqual([]);
    store2.close();
  });

  it('a manual reset is persisted too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cd-'));
    dirs.push(dir);
    const file = path.join(dir, 'usage.db');
    const clock = new FakeClock();
    const store = new SqliteCooldownStore(file);
    const book = new CooldownBook({ clock, store, saveDelayMs: 5 });
    book.markFailure('a', 'm', { kind: 'quota', scope: 'model', cooldownUntil: clock.now() + 999_999, hint: 'h' });
    await book.flush();
    book.reset({ accountId: 'a' });
    await book.flush();
    expect(await store.load()).toEqual([]);
    store.close();
  });
});
