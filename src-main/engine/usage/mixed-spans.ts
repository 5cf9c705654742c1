import { HOUR_MS, SLOT_MS } from './rollup';

const DAY = 86_400_000;
/** More edges than this (about 11 years of days) and the plain quarter-hour plan is used. */
const MAX_EDGES = 4000;

/**
 * Bucket edges (UTC ms) strictly inside [from, to) for day or week buckets at a UTC offset.
 * Days start at local midnight; weeks on Monday (1970-01-01 was a Thursday: 4 days before it).
 */
function bucketEdges(from: number, to: number, bucket: 'day' | 'week', offsetMs: number): number[] {
  const size = bucket === 'day' ? DAY : 7 * DAY;
  const origin = (bucket === 'day' ? 0 : -3 * DAY) - offsetMs;
  const edges: number[] = [];
  for (let e = origin + Math.floor((from - origin) / size) * size + size; e < to; e += size) if (e > from) edges.push(e);
  return edges;
}

/**
 * For day and week charts at a half- or quarter-hour UTC offset (India, Nepal, …): the hours in
 * [hourFrom, hourTo) that a bucket edge cuts. Every other hour lies inside one bucket and is read
 * from the hourly rollup, only these (one per edge) from the quarter hours: a 90-day chart reads
 * about 2,200 hourly slots instead of 8,600 quarter-hour ones.
 */
export function hoursCutByEdges(hourFrom: number, hourTo: number, bucket: 'day' | 'week', offsetMs: number): number[] | undefined {
  // An open-ended range ("everything"): the quarter hours answer it, as they always did.
  if ((hourTo - hourFrom) / (bucket === 'day' ? DAY : 7 * DAY) > MAX_EDGES) return undefined;
  const cut: number[] = [];
  for (const e of bucketEdges(hourFrom, hourTo, bucket, offsetMs)) if (e % HOUR_MS !== 0) cut.push(Math.floor(e / HOUR_MS) * HOUR_MS);
  return cut;
}

/** The quarter-hour slots [qFrom, qTo) split into whole hours [hFrom, hTo) and the quarter hours around them. */
export function hourCover(qFrom: number, qTo: number): { hFrom: number; hTo: number } | undefined {
  const hFrom = Math.ceil(qFrom / HOUR_MS) * HOUR_MS;
  const hTo = Math.floor(qTo / HOUR_MS) * HOUR_MS;
  return hFrom < hTo && qFrom % SLOT_MS === 0 ? { hFrom, hTo } : undefined;
}
