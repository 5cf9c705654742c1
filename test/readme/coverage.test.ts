import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OAUTH_PROVIDERS } from '../../src-main/engine/accounts/auths';
import { commandsFor, COVERAGE } from './coverage';
import { readmeCommands, root } from './readme';

/** The README is executable: every command in "Set-up commands" and "Using it" has a test. */
describe('README commands', () => {
  const { commands, providers } = readmeCommands();

  it('finds the commands of both sections', () => {
    expect(commands).toContain('bash scripts/setup.sh && npm run serve');
    expect(commands).toContain('npm run -s switchyard -- accounts --json');
    expect(commands.length).toBeGreaterThan(10);
  });

  it.each(commands)('`%s` is run by a test', (cmd) => {
    const kinds = Object.entries(COVERAGE).filter(([, re]) => re.test(cmd)).map(([k]) => k);
    expect(kinds, `no test runs this README command; add it to test/readme/coverage.ts and a test`).toHaveLength(1);
  });

  it('a command added without a test is caught', () => {
    const text = '## Set-up commands\n\n```sh\nbash scripts/setup.sh && npm run serve\n```\n\n## Using it\n\nRun `npm run switchyard -- frobnicate` now.\n\n## Next\n';
    const found = readmeCommands(text).commands;
    expect(found).toEqual(['bash scripts/setup.sh && npm run serve', 'npm run switchyard -- frobnicate']);
    expect(Object.values(COVERAGE).some((re) => re.test(found[1]))).toBe(false);
  });

  it('lists every sign-in provider the CLI knows, and only those', () => {
    expect([...providers].sort()).toEqual([...OAUTH_PROVIDERS].sort());
  });

  it('setup: the installer exists, is idempotent, and builds what `npm run serve` runs', () => {
    const setup = commandsFor('setup');
    expect(setup.length).toBe(2);
    const script = path.join(root, 'scripts/setup.sh');
    accessSync(script, constants.R_OK);
    const text = readFileSync(script, 'utf8');
    expect(text).toMatch(/^set -euo pipefail$/m);
    // apt only for what dpkg does not have yet, npm ci only when the lockfile is newer than node_modules.
    expect(text).toMatch(/dpkg -s "\$p" >\/dev\/null 2>&1 \|\| missing\+=\("\$p"\)/);
    expect(text).toMatch(/if \[ \$\{#missing\[@\]\} -gt 0 \]; then/);
    expect(text).toMatch(/if \[ ! -d node_modules \] \|\| \[ package-lock\.json -nt node_modules\/\.package-lock\.json \]; then\n\s+npm ci/);
    expect(text).toMatch(/^node scripts\/build\.mjs$/m);
    expect(text).toMatch(/"--tests" \]; then pkgs\+=\(chromium gnome-keyring dbus/);
  });

  it('`npm test` runs scripts/test.mjs, which typechecks, lints and runs vitest', () => {
    expect(commandsFor('npmTest')).toEqual(['npm test']);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toBe('node scripts/test.mjs');
    const text = readFileSync(path.join(root, 'scripts/test.mjs'), 'utf8');
    for (const step of ["step('typecheck'", "step('lint'", "step('vitest'"]) expect(text).toContain(step);
  });
});
