import type { SwitchyardConfig } from '../../../src-shared/config/schema';

/** Bounds on what one upstream may cost us (issue 12, D7/D21). */
export interface PipelineLimits {
  /** Largest non-stream upstream body held in memory (bytes). */
  upstreamBodyBytes: number;
  /** Longest SSE line or event from an upstream (characters). */
  sseLineChars: number;
  /** A non-stream attempt's whole answer, and a stream's headers, must arrive within this (ms). */
  requestTimeoutMs: number;
  /** Longest silence between two chunks of an upstream stream (ms). */
  streamIdleMs: number;
  /**
   * `streaming.bootstrap-retries`: extra tries of the same account for a stream that failed before
   * its first byte reached the client (reset, 5xx, broken stream); 0 = straight to the next account.
   */
  bootstrapRetries?: number;
  /** `streaming.keepalive-seconds`: SSE comment after this much upstream silence (ms, 0 = off). */
  keepaliveMs: number;
}

export const DEFAULT_LIMITS: PipelineLimits = {
  upstreamBodyBytes: 64 * 1024 * 1024,
  sseLineChars: 8192 * 1024,
  requestTimeoutMs: 600_000,
  streamIdleMs: 600_000,
  keepaliveMs: 0,
};

export function limitsFromConfig(cfg: SwitchyardConfig): PipelineLimits {
  const requestTimeoutMs = cfg['request-timeout-seconds'] * 1000;
  const limits = cfg.limits ?? { 'upstream-body-mb': 64, 'sse-line-kb': 8192 };
  return {
    upstreamBodyBytes: Math.floor(limits['upstream-body-mb'] * 1024 * 1024),
    sseLineChars: Math.floor(limits['sse-line-kb'] * 1024),
    requestTimeoutMs,
    streamIdleMs: (cfg['stream-idle-timeout-seconds'] ?? cfg['request-timeout-seconds']) * 1000,
    bootstrapRetries: cfg.streaming?.['bootstrap-retries'] ?? 0,
    keepaliveMs: (cfg.streaming?.['keepalive-seconds'] ?? 0) * 1000,
  };
}
