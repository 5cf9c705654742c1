import { describe, expect, it } from 'vitest';
import { clientKeyLabel, matchClientKey } from '../../../../src-main/engine/server/client-auth';

describe('client keys', () => {
  it('matches the presented key against every configured key', () => {
    expect(matchClientKey('k2', ['k1', 'k2'])).toBe(1);
    expect(matchClientKey('nope', ['k1', 'k2'])).toBe(-1);
    expect(matchClientKey('k1-longer', ['k1'])).toBe(-1);
  });

  it('follows a key list changed in place and a reloaded list (digests are made once per list)', () => {
    const keys = ['k1', 'k2'];
    expect(matchClientKey('k2', keys)).toBe(1);
    keys[1] = 'k3';
    expect(matchClientKey('k2', keys)).toBe(-1);
    expect(matchClientKey('k3', keys)).toBe(1);
    keys.push('k4');
    expect(matchClientKey('k4', keys)).toBe(2);
    expect(matchClientKey('k1', ['k0', 'k1'])).toBe(1);
  });

  it('labels a key without revealing it', () => {
    const label = clientKeyLabel(['sk-secret-abcd1234'], 0);
    expect(label).toBe('key #1 (…1234)');
    expect(label).not.toContain('secret');
  });
});
