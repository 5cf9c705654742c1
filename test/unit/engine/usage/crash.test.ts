import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { UsageRecorder } from '../../../../src-main/engine/usage';

const here = path.dirname(fileURLToPath(import.meta.url));

it('loses at most the last second when the process is killed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-crash-'));
  const dbPath = path.join(dir, 'usage.db');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-child.ts'), dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    // Let it record for a while after it has started.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (out.split('\n').length > 150) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const handed = out.trim().split('\n').map(Number);
    const last = handed.at(-1)!;
    const r = new UsageRecorder({ dbPath });
    const stored = r.totals({ from: 0, to: Number.MAX_SAFE_INTEGER }).requests;
    const lostWindow = handed.filter((t) => t > last - 1000).length;
    r.close();
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeGreaterThanOrEqual(handed.length - lostWindow);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 20_000);
