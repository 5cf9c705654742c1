#!/usr/bin/env node
// `npm test`: typecheck, lint, build the bundles the tests load, run vitest, and end with the one
// line CI reads: "N passed, N failed, N skipped". Under CI=true a skipped test is a failure: a suite
// that skips itself because Chromium or the keychain is missing has not proven anything. Runs
// itself inside a private D-Bus session with an unlocked gnome-keyring so the keychain tests talk
// to a real Secret Service.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarise } from './test-summary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const extraArgs = process.argv.slice(2);

if (!process.env.SWITCHYARD_TEST_SESSION && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const child = spawn('dbus-run-session', ['--', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, SWITCHYARD_TEST_SESSION: '1' },
  });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  process.exit(await run());
}

function startKeyring() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS || !has('gnome-keyring-daemon')) return undefined;
  const home = mkdtempSync(path.join(os.tmpdir(), 'switchyard-keyring-'));
  mkdirSync(path.join(home, '.cache'), { recursive: true });
  mkdirSync(path.join(home, '.local/share/keyrings'), { recursive: true });
  // A throwaway HOME: the daemon creates and unlocks a fresh login keyring there.
  const r = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'switchyard-test\n',
    env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: path.join(home, '.cache') },
    encoding: 'utf8',
    timeout: 15_000,
  });
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
  process.env.SWITCHYARD_KEYRING = r.status === 0 ? 'available' : 'unavailable';
  return home;
}

function step(name, cmd, args) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}

async function run() {
  const keyringHome = startKeyring();
  let passed = 0;
  let failed = 0;
  const count = (ok) => (ok ? passed++ : failed++);

  count(step('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']));
  count(step('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.']));
  if (existsSync('scripts/build.mjs')) count(step('bundle main/preload/cli', process.execPath, ['scripts/build.mjs']));
  if (existsSync('src-renderer/index.html')) count(step('build renderer', process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']));

  const report = path.join(os.tmpdir(), `switchyard-vitest-${process.pid}.json`);
  step('vitest', process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs]);
  const data = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
  rmSync(report, { force: true });
  if (keyringHome) rmSync(keyringHome, { recursive: true, force: true });
  const result = summarise(data, { passed, failed }, { ci: process.env.CI === 'true', root });
  for (const line of result.notes) process.stdout.write(`${line}\n`);
  process.stdout.write(`\n${result.line}\n`);
  return result.ok ? 0 : 1;
}
