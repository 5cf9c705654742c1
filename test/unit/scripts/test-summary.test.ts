import { describe, expect, it } from 'vitest';
import { summarise as sum } from '../../../scripts/test-summary.mjs';

/** The shape vitest's JSON reporter writes (`--reporter=json`), trimmed to what is read. */
const report = {
  numPassedTests: 3,
  numFailedTests: 0,
  numRuntimeErrorTestSuites: 0,
  testResults: [
    { name: '/repo/test/unit/a.test.ts', status: 'passed', assertionResults: [{ status: 'passed', fullName: 'a works' }] },
    {
      name: '/repo/test/e2e/tray.test.ts',
      status: 'passed',
      assertionResults: [{ status: 'skipped', fullName: 'tray window opens', title: 'opens' }],
    },
  ],
};

describe('npm test closing line', () => {
  it('counts skipped tests next to passed and failed, and names them', () => {
    const r = sum(report, { passed: 3, failed: 0 }, { ci: false, root: '/repo' });
    expect(r.line).toBe('6 passed, 0 failed, 1 skipped');
    expect(r.notes).toEqual(['skipped: test/e2e/tray.test.ts > tray window opens']);
    expect(r.ok).toBe(true);
  });

  it('under CI a skipped test fails the run', () => {
    const r = sum(report, { passed: 3, failed: 0 }, { ci: true, root: '/repo' });
    expect(r.ok).toBe(false);
    expect(r.notes.at(-1)).toMatch(/^CI=true: 1 skipped test\(s\) count as failures/);
  });

  it('a file that failed to load counts as a failure; no report at all counts as one', () => {
    const broken = { ...report, testResults: [{ name: '/repo/x.test.ts', status: 'failed', assertionResults: [] }] };
    expect(sum(broken, { passed: 0, failed: 0 }, { ci: false }).line).toBe('3 passed, 1 failed, 0 skipped');
    const none = sum(undefined, { passed: 4, failed: 0 }, { ci: false });
    expect(none).toMatchObject({ ok: false, line: '4 passed, 1 failed, 0 skipped' });
  });
});
