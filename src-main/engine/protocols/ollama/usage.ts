import type { IrUsage } from '../../ir';
import { isRecord } from '../shared/json';
import { tokenCount } from '../shared/token-count';

/**
 * Usage of a closing Ollama object (`done: true`): `prompt_eval_count` is the prompt,
 * `eval_count` the answer — the counters `closingStats` writes. No upstream speaks Ollama
 * today; this keeps the format's side of `Protocol.readUsage` complete. Counts that are not
 * non-negative integers are left out; a body with neither counter has no usage.
 */
export function readUsage(json: unknown): IrUsage | undefined {
  if (!isRecord(json)) return undefined;
  const input = tokenCount(json.prompt_eval_count);
  const output = tokenCount(json.eval_count);
  if (input === undefined && output === undefined) return undefined;
  const out: IrUsage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  out.totalTokens = out.inputTokens + out.outputTokens;
  return out;
}
