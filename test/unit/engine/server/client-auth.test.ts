import { describe, expect, it } from 'vitest';
import { clientKeyLabel, matchClientKey } from '../../../../src-main/engine/server/client-auth';

describe('client keys', () => {
  it('matches the presented key against every configured key', () => {
    expect(matchClientKey('k2', ['k1', 'k2'])).toBe(1);
    expect(matchClientKey('nope', ['k1', 'k2'])).toBe(-1);
    expect(matchClientKey('k1-longer', ['k1'])).toBe(-1);
  });

  it('labels a key without revealing it', () => {
    const label = clientKeyLabel(['sk-secret-abcd1234'], 0);
    expect(label).toBe('key #1 (…1234)');
    expect(label).not.toContain('secret');
  });
});
