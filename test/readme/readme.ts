import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** The README sections whose commands must all run as written. */
export const CHECKED_SECTIONS = ['Set-up commands', 'Using it'];
const COMMAND_START = /^(npm|npx|node|bash|sh|switchyard)\s/;

/**
 * Every command in the checked sections: each line of a ```sh block (trailing `# comment`
 * removed) and each inline `code` span that starts like a command. `<provider>` is expanded
 * over the list on the "Providers:" line.
 */
export function readmeCommands(text = readFileSync(path.join(root, 'README.md'), 'utf8')): { commands: string[]; providers: string[] } {
  const sections = sectionsOf(text);
  const body = CHECKED_SECTIONS.map((title) => {
    const s = sections.find((x) => x.title.startsWith(title));
    if (!s) throw new Error(`README has no "## ${title}" section`);
    return s.body;
  }).join('\n');
  const providerLine = /^Providers: (.+)$/m.exec(body);
  const providers = providerLine ? [...providerLine[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]) : [];
  const found: string[] = [];
  for (const block of body.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    for (const line of block[1].split('\n')) {
      const cmd = line.replace(/\s+#\s.*$/, '').trim();
      if (cmd && !cmd.startsWith('#')) found.push(cmd);
    }
  }
  const prose = body.replace(/```[\s\S]*?```/g, '');
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) if (COMMAND_START.test(m[1])) found.push(m[1].trim());
  const commands = found.flatMap((c) => (c.includes('<provider>') ? providers.map((p) => c.replace('<provider>', p)) : [c]));
  return { commands: [...new Set(commands)], providers };
}

function sectionsOf(text: string): Array<{ title: string; body: string }> {
  const out: Array<{ title: string; body: string }> = [];
  let current: { title: string; body: string } | undefined;
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const h = !fenced && /^## (.+)$/.exec(line);
    if (h) out.push((current = { title: h[1], body: '' }));
    else if (current) current.body += `${line}\n`;
  }
  return out;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * A user's machine for one test: a fresh HOME (so `~` in a command is ours), a fresh
 * SWITCHYARD_HOME, and a PATH whose `xdg-open`/`open` only record the URL (no real browser).
 */
export async function userHome(configYaml?: string): Promise<{ home: string; data: string; env: NodeJS.ProcessEnv }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'sy-readme-'));
  const data = path.join(home, '.switchyard');
  const bin = path.join(home, 'bin');
  await mkdir(bin, { recursive: true });
  for (const opener of ['xdg-open', 'open']) {
    await writeFile(path.join(bin, opener), '#!/bin/sh\necho "$@" >> "$HOME/opened-urls"\n');
    await chmod(path.join(bin, opener), 0o755);
  }
  if (configYaml !== undefined) {
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'config.yaml'), configYaml, { mode: 0o600 });
  }
  // A user's shell carries none of our variables unless the README says to set them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_')));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    HOME: home,
    SWITCHYARD_HOME: data,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    // npm must not look for its own updates (no network in tests) or reuse the caller's settings.
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_cache: path.join(home, '.npm'),
  };
  for (const k of Object.keys(env)) if (k.startsWith('npm_') && !k.startsWith('npm_config_')) delete env[k];
  return { home, data, env };
}

export interface ShellRun {
  out: () => string;
  err: () => string;
  lines: () => string[];
  exited: Promise<number | null>;
  write(line: string): void;
  waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Signal the whole process group (sh, npm and the CLI), as Ctrl-C in a terminal does. */
  signal(sig: NodeJS.Signals): void;
}

/** Run one README command exactly as written, through `sh -c` in the repository. */
export function runCommand(command: string, env: NodeJS.ProcessEnv): ShellRun {
  const child = spawn('sh', ['-c', command], { cwd: root, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    out: () => out,
    err: () => err,
    lines: () => out.split('\n'),
    exited,
    write: (line) => void child.stdin.write(`${line}\n`),
    async waitFor(re, ms = 60_000) {
      const end = Date.now() + ms;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (done || Date.now() > end) throw new Error(`${done ? 'exited' : 'timed out'} before ${re}\n--- stdout\n${out}\n--- stderr\n${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    signal(sig) {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    },
  };
}

export function overridesYaml(overrides: Record<string, string>): string {
  return `host-overrides:\n${Object.entries(overrides)
    .map(([k, v]) => `  "${k}": "${v}"`)
    .join('\n')}\n`;
}
