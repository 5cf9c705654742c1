import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { privateBuiltCli, serveBuiltCopy } from './built-copy';

/**
 * The usage history's WAL checkpoint worker from the BUILT CLI: the worker is started from source
 * text inside the bundle (the launcher runs the bundle as a vm.Script) and loads better-sqlite3 by
 * the path the bundle resolves. An import larger than the 4 MiB threshold asks for a checkpoint;
 * the worker runs it (a thread more in the process, no fallback warning) and the next write starts
 * the log over, cutting the -wal file back to 4 MiB.
 */
let dir: string;
let child: ChildProcess | undefined;
let url: string;
let output = (): string => '';
const M = { 'x-management-key': 'm', 'content-type': 'application/json' };
const THRESHOLD = 4 * 1024 * 1024;

beforeAll(async () => {
  dir = await privateBuiltCli('sy-wal-cli-');
  const config = `host: 127.0.0.1\nremote-management: {secret-key: m}\nsecret-store: file\nusage-sqlite: {enable: true, db-path: ${JSON.stringify(path.join(dir, 'usage.db'))}}\n`;
  await writeFile(path.join(dir, 'config.yaml'), config);
  // Another working directory than the bundle's: the worker must not resolve better-sqlite3 from it.
  const served = await serveBuiltCopy(dir, path.join(dir, 'config.yaml'), { cwd: os.tmpdir() });
  child = served.child;
  url = served.url;
  output = served.output;
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
function exportOf(n: number): string {
  const records = Array.from({ length: n }, () => {
    const i = seq++;
    return { id: `import-${i}`, time: Date.UTC(2026, 10, 1) + i * 1000, inboundFormat: 'openai-chat', provider: 'codex', accountId: `acct-${i % 9}`, requestedModel: 'gpt-5', inputTokens: 1200, outputTokens: 300, latencyMs: 900, status: 200, stream: true };
  });
  return JSON.stringify({ format: 'switchyard-usage', version: 1, exportedAt: new Date().toISOString(), records });
}

async function importRecords(n: number): Promise<void> {
  const res = await fetch(`${url}/v0/management/usage/import`, { method: 'POST', headers: M, body: exportOf(n) });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { imported: number }).imported).toBe(n);
}

const walSize = (): number => statSync(path.join(dir, 'usage.db-wal'), { throwIfNoEntry: false })?.size ?? 0;
const threads = (): number => (existsSync(`/proc/${child!.pid}/task`) ? readdirSync(`/proc/${child!.pid}/task`).length : -1);

it('checkpoints the usage history in a worker thread from the built bundle', async () => {
  const before = threads();
  await importRecords(40_000);
  expect(walSize()).toBeGreaterThan(THRESHOLD);
  // Each further write starts the log over once the worker has copied it all.
  for (let i = 0; i < 400 && walSize() > THRESHOLD; i++) {
    await new Promise((r) => setTimeout(r, 25));
    await importRecords(1);
  }
  expect(walSize()).toBeLessThanOrEqual(THRESHOLD);
  if (before > 0) expect(threads()).toBeGreaterThan(before);
  expect(output()).not.toMatch(/checkpoint worker/);
  const totals = await fetch(`${url}/v0/management/usage`, { headers: M });
  expect(((await totals.json()) as { usage: { total_requests: number } }).usage.total_requests).toBe(seq);
}, 60_000);
