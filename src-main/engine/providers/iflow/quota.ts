import type { QuotaSource } from '../../quota/source';

/** iFlow has no quota endpoint and publishes no limit: the meter is our own daily request count. */
export const iflowQuota: QuotaSource = {
  provider: 'iflow',
  local: { label: 'Requests today (counted locally, no provider limit known)', windowSeconds: 86_400 },
};
