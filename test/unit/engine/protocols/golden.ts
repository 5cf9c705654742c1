import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * The one golden-file harness of the protocol tests (every wire format uses it). Expected outputs
 * are files under test/fixtures/ that a person reviewed; a missing one is a failure, never
 * written on the fly. Writing them is an explicit step:
 *   npm run test:update-goldens          (UPDATE_GOLDEN=1 vitest run test/unit/engine/protocols)
 * then review the diff like code. CI refuses to update.
 */
export const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

export const UPDATE_COMMAND = 'npm run test:update-goldens';

/** True when this run writes expected files instead of comparing (UPDATE_GOLDEN=1). */
export function updatingGoldens(env: NodeJS.ProcessEnv = process.env): boolean {
  const on = Boolean(env.UPDATE_GOLDEN) && env.UPDATE_GOLDEN !== '0';
  if (on && env.CI === 'true') throw new Error('UPDATE_GOLDEN is set under CI: expected files are updated by a person, not by CI');
  return on;
}

export function missingGolden(what: string): Error {
  return new Error(`expected output ${what} does not exist; create it with \`${UPDATE_COMMAND}\` and review it`);
}

/** Compare `actual` with the file at `path` (relative to test/fixtures/), or write it when updating. */
export function checkGoldenFile(actual: string, path: string, compare: (actual: string, expected: string) => void): void {
  const full = join(FIXTURES, path);
  if (updatingGoldens()) {
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, actual);
    return;
  }
  if (!existsSync(full)) throw missingGolden(`test/fixtures/${path}`);
  compare(actual, readFileSync(full, 'utf8'));
}

/**
 * Fixtures that carry their own expectation (`{ "input": …, "expected": … }`): compare, or
 * rewrite `expected` when updating. A fixture without `expected` fails.
 */
export function checkInlineGolden(actual: unknown, fixture: Record<string, unknown>, path: string): void {
  if (updatingGoldens()) {
    writeFileSync(path, `${JSON.stringify({ ...fixture, expected: actual }, null, 2)}\n`);
    return;
  }
  if (!Object.hasOwn(fixture, 'expected')) throw missingGolden(`"expected" in ${path}`);
  expect(actual).toEqual(fixture.expected);
}
