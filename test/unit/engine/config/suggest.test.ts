import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../../../src-main/engine/config/suggest';

describe('did-you-mean for config keys', () => {
  it('counts edits as Levenshtein does, with a neighbour swap as one edit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('port', 'port')).toBe(0);
    expect(editDistance('prot', 'port')).toBe(1);
  });

  it('suggests only names close enough to be a typo', () => {
    const keys = ['port', 'host', 'api-keys', 'request-retry', 'remote-management'];
    expect(closestName('prot', keys)).toBe('port');
    expect(closestName('hots', keys)).toBe('host');
    expect(closestName('API_KEYS', keys)).toBe('api-keys');
    expect(closestName('request-retries', keys)).toBe('request-retry');
    expect(closestName('logging', keys)).toBeUndefined();
    expect(closestName('x', keys)).toBeUndefined();
  });
});
