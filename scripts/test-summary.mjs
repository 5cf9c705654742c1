// The closing line of `npm test`, from vitest's JSON report (kept apart from test.mjs so it can be
// tested without running a suite).
import path from 'node:path';

/**
 * @param {any} report vitest's JSON report, or undefined when vitest wrote none (crashed)
 * @param {{passed: number, failed: number}} steps results of the steps before vitest
 * @param {{ci: boolean, root?: string}} opts under CI a skipped test fails the run
 * @returns {{ok: boolean, line: string, notes: string[], passed: number, failed: number, skipped: number}}
 */
export function summarise(report, steps, opts) {
  let { passed, failed } = steps;
  let skipped = 0;
  const notes = [];
  if (!report) {
    failed++;
    notes.push('vitest wrote no report (it crashed or was killed)');
  } else {
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
    for (const suite of report.testResults ?? []) {
      const file = opts.root ? path.relative(opts.root, suite.name ?? '') : (suite.name ?? '');
      // A test file that failed to load has no tests but must still count as a failure.
      if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed++;
      for (const t of suite.assertionResults ?? []) {
        if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') {
          skipped++;
          notes.push(`skipped: ${file} > ${t.fullName ?? t.title}`);
        }
      }
    }
  }
  const ciSkips = opts.ci && skipped > 0;
  if (ciSkips) notes.push(`CI=true: ${skipped} skipped test(s) count as failures; install what they need (bash scripts/setup.sh --tests)`);
  const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  return { ok: failed === 0 && !ciSkips, line, notes, passed, failed, skipped };
}
