import type { QuotaSource } from '../../quota/source';

/**
 * Qwen Code OAuth has no quota endpoint. The meter is our own count of this account's requests
 * over the last day, against the free tier's published 2,000 requests/day (legacy tier: the free
 * OAuth tier ended 2026-04-15, so treat the limit as a guide).
 */
export const qwenQuota: QuotaSource = {
  provider: 'qwen',
  local: { label: 'Requests today (counted locally)', windowSeconds: 86_400, requestLimit: 2000 },
};
