export type { FailureFacts, FailureReader, HeaderBag, NetworkKind, QuotaFacts, ResetHint, UpstreamFailure } from './types';
export { MAX_FAILURE_TEXT } from './types';
export { parseUpstreamFailure, failureOf, type ParseFailureInput } from './parse';
export { header, isRecord, num, parseDuration, epochToMs } from './headers';
export { parseRetryAfter, retryAfterMs } from './retry-after';
