import { parseUpstreamFailure } from '../../../../src-main/engine/upstream/failure/parse';
import type { UpstreamFailure } from '../../../../src-main/engine/upstream/failure/types';

/** An upstream error answer (text as sent, or a JSON value) parsed once, as the pipeline hands it to decodeError. */
export function upstreamError(status: number, body: unknown): UpstreamFailure {
  return parseUpstreamFailure({ status, body, now: 0 });
}
