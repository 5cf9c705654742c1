export interface TestSummary {
  ok: boolean;
  line: string;
  notes: string[];
  passed: number;
  failed: number;
  skipped: number;
}
export function summarise(report: unknown, steps: { passed: number; failed: number }, opts: { ci: boolean; root?: string }): TestSummary;
