/**
 * The engine opens state.db after its port (engine-state-stores.ts), so the quota book may get its
 * store after it was built: it takes in what the store kept, keeps whatever it heard since (newer
 * readings win), and writes its changes to the store from then on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { QuotaBook, quotaSources } from '../../../../src-main/engine/quota';
import { QuotaStore } from '../../../../src-main/engine/quota/store';
import { ManualClock } from '../../../fakes/quota/manual-clock';
import * as fx from '../../../fakes/quota/fixtures';

const { NOW } = fx;
let dir: string;
let clock: ManualClock;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-attach-'));
  clock = new ManualClock(NOW);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Claude headers with a chosen 5-hour utilization. */
function claude5h(fraction: number): Record<string, string> {
  return {
    'anthropic-ratelimit-unified-5h-utilization': String(fraction),
    'anthropic-ratelimit-unified-5h-reset': String(Math.floor((NOW + 2 * 3_600_000) / 1000)),
  };
}

const used5h = (b: QuotaBook, id: string) => b.get(id)?.windows.find((w) => w.id === '5h')?.usedPercent;

it('a store attached later fills in what the book has not heard, keeps the newer readings, and takes the writes from then on', () => {
  const file = path.join(dir, 'state.db');
  const before = new QuotaBook({ sources: quotaSources, now: clock.now, timers: clock, dbPath: file });
  before.observeHeaders('claude:a', 'claude', claude5h(0.5));
  before.observeHeaders('claude:b', 'claude', claude5h(0.3));
  before.close(); // the last run's snapshot

  clock.advance(60_000);
  const book = new QuotaBook({ sources: quotaSources, now: clock.now, timers: clock });
  book.observeHeaders('claude:a', 'claude', claude5h(0.8)); // heard before the store opened
  book.attachStore(new QuotaStore(file));
  expect(used5h(book, 'claude:a')).toBe(80);
  expect(used5h(book, 'claude:b')).toBe(30);
  book.close(); // writes what changed

  const after = new QuotaBook({ sources: quotaSources, now: clock.now, timers: clock, dbPath: file });
  expect(used5h(after, 'claude:a')).toBe(80);
  expect(used5h(after, 'claude:b')).toBe(30);
  after.close();
});
