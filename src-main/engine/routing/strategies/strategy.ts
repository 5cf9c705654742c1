import { candidateKey, type Candidate } from '../types';

/**
 * Orders one priority group's candidates for one request. `advance` is true only for the group
 * that will actually serve the request, so failover lists and peeks never skew the rotation.
 * State is keyed by stable candidate keys (account id × upstream model), so it survives reloads.
 */
export interface Strategy {
  order(key: string, group: readonly Candidate[], advance: boolean): Candidate[];
}

/** Stable ring order: by account id then upstream model, independent of config order. */
export function byKey(a: Candidate, b: Candidate): number {
  const ka = candidateKey(a);
  const kb = candidateKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
