import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';

/**
 * The real coding CLIs, installed by `scripts/install-real-clients.sh` into a cache folder
 * outside the repo (never package.json). Locally a missing CLI skips its suite with the install
 * command; under CI=true it fails, so CI never passes without having run them.
 */
export const REAL_CLIENTS_DIR =
  process.env.SWITCHYARD_REAL_CLIENTS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'switchyard', 'real-clients');

export type ClientName = 'claude' | 'codex' | 'gemini';

const ENTRY: Record<ClientName, { file: string; viaNode: boolean }> = {
  claude: { file: 'claude/node_modules/@anthropic-ai/claude-code/bin/claude.exe', viaNode: false },
  codex: { file: 'codex/node_modules/@openai/codex/bin/codex.js', viaNode: true },
  gemini: { file: 'gemini/node_modules/@google/gemini-cli/bundle/gemini.js', viaNode: true },
};

/** argv prefix that runs the CLI, or undefined when it is not installed. */
export function clientCommand(name: ClientName): string[] | undefined {
  const file = path.join(REAL_CLIENTS_DIR, ENTRY[name].file);
  if (!existsSync(file)) return undefined;
  return ENTRY[name].viaNode ? [process.execPath, file] : [file];
}

/** A suite for one CLI: skipped locally when it is missing, failing under CI. */
export function describeClient(name: ClientName, title: string, body: (cmd: string[]) => void): void {
  const cmd = clientCommand(name);
  if (cmd) {
    describe(title, () => body(cmd));
    return;
  }
  const why = `${name} is not installed in ${REAL_CLIENTS_DIR}; run: bash scripts/install-real-clients.sh`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('has the real CLI installed', () => {
        throw new Error(why);
      });
    });
  } else {
    describe.skip(`${title} (${why})`, () => undefined);
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Run a CLI to completion with a private environment: a fresh HOME, PATH only, and every proxy
 * variable aimed at a closed local port so any attempt to reach the internet fails at once
 * (loopback is exempt through NO_PROXY).
 */
export function runCli(cmd: string[], args: string[], o: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<CliRun> {
  const deadOrigin = 'http://127.0.0.1:9';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TERM: 'dumb',
    NO_COLOR: '1',
    HTTPS_PROXY: deadOrigin,
    HTTP_PROXY: deadOrigin,
    https_proxy: deadOrigin,
    http_proxy: deadOrigin,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    ...o.env,
  };
  return new Promise((resolve) => {
    const child = spawn(cmd[0], [...cmd.slice(1), ...args], { cwd: o.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs ?? 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** A scratch HOME and working folder with a marker file the tool turn reads back. */
export interface Scratch {
  home: string;
  work: string;
  marker: string;
  markerPath: string;
  cleanup(): Promise<void>;
}

export async function scratch(): Promise<Scratch> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sy-real-client-'));
  const home = path.join(root, 'home');
  const work = path.join(root, 'work');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(home, { recursive: true });
  await mkdir(work, { recursive: true });
  const marker = `MARKER-${Math.random().toString(36).slice(2, 10)}`;
  const markerPath = path.join(work, 'marker.txt');
  await writeFile(markerPath, `${marker}\n`);
  return { home, work, marker, markerPath, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export const PONG_PROMPT = 'Reply with the word PONG and nothing else.';
export const TOOL_PROMPT = 'TOOLTEST: read the file marker.txt in the current folder and tell me what it says.';
/** What the fakes answer once the tool result came back. */
export const ROUND_TRIP_DONE = 'ROUNDTRIP-OK';

/** Explain a failed run in the assertion message. */
export function describeRun(r: CliRun): string {
  return `exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
}
