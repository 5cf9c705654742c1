import { describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import type { Request, Response } from 'express';
import { managementAuth, type ManagementAuthSettings } from '../../src-main/engine/management/auth';

/**
 * D17 and the "what held" items of the management key gate: failed attempts are counted per
 * address on loopback too; remote addresses are banned after 5 failures; forwarded-for headers do
 * not make a remote client local; bcrypt compares are rationed (one per address, a few overall).
 * The gate is driven directly with requests from chosen addresses (tests may only listen on
 * 127.0.0.1) and an injected clock.
 */
interface Outcome {
  status: number;
  body?: { error?: string };
  headers: Record<string, string>;
  passed: boolean;
}

function call(gate: ReturnType<typeof managementAuth>, ip: string, key: string | undefined, headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { status: 200, headers: {}, passed: false };
    const req = { socket: { remoteAddress: ip }, headers: { ...(key === undefined ? {} : { 'x-management-key': key }), ...headers } } as unknown as Request;
    const res = {
      status(code: number) {
        out.status = code;
        return this;
      },
      json(body: unknown) {
        out.body = body as Outcome['body'];
        resolve(out);
        return this;
      },
      setHeader(name: string, value: string) {
        out.headers[name.toLowerCase()] = value;
        return this;
      },
    } as unknown as Response;
    void gate(req, res, () => {
      out.passed = true;
      resolve(out);
    });
  });
}

const plain = (over: Partial<ManagementAuthSettings> = {}) => () => ({ secretKey: 'right-key', allowRemote: true, ...over });

describe('management key attempts are throttled per address', () => {
  it('loopback: 5 wrong keys lock the address for a minute (429 + Retry-After), then the right key works again', async () => {
    let now = 1_000_000;
    const gate = managementAuth(plain(), () => now);
    for (let i = 0; i < 5; i++) expect((await call(gate, '127.0.0.1', 'wrong')).status).toBe(401);
    const locked = await call(gate, '127.0.0.1', 'right-key');
    expect(locked.passed).toBe(false);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Another loopback spelling is its own address; a remote one is unaffected.
    expect((await call(gate, '::1', 'right-key')).passed).toBe(true);
    now += 61_000;
    expect((await call(gate, '127.0.0.1', 'right-key')).passed).toBe(true);
  });

  it('remote: 5 failures ban the address for 30 minutes, even for the right key (what held)', async () => {
    let now = 1_000_000;
    const gate = managementAuth(plain(), () => now);
    for (let i = 0; i < 5; i++) expect((await call(gate, '203.0.113.7', 'wrong')).status).toBe(401);
    const banned = await call(gate, '203.0.113.7', 'right-key');
    expect(banned.status).toBe(403);
    expect(banned.body?.error).toMatch(/banned/);
    now += 29 * 60_000;
    expect((await call(gate, '203.0.113.7', 'right-key')).status).toBe(403);
    expect((await call(gate, '203.0.113.8', 'right-key')).passed).toBe(true);
    now += 2 * 60_000;
    expect((await call(gate, '203.0.113.7', 'right-key')).passed).toBe(true);
  });

  it('a remote client claiming to be local through forwarding headers stays remote', async () => {
    const gate = managementAuth(plain({ allowRemote: false }));
    const spoofs: Array<Record<string, string>> = [{ 'x-forwarded-for': '127.0.0.1' }, { forwarded: 'for=127.0.0.1' }, { 'x-real-ip': '::1' }];
    for (const h of spoofs) {
      const r = await call(gate, '198.51.100.4', 'right-key', h);
      expect(r.passed).toBe(false);
      expect(r.status).toBe(403);
    }
  });

  it('a success resets the count: 4 failures, success, 4 failures is not a lock', async () => {
    const gate = managementAuth(plain(), () => 5);
    for (let i = 0; i < 4; i++) await call(gate, '127.0.0.1', 'wrong');
    expect((await call(gate, '127.0.0.1', 'right-key')).passed).toBe(true);
    for (let i = 0; i < 4; i++) await call(gate, '127.0.0.1', 'wrong');
    expect((await call(gate, '127.0.0.1', 'right-key')).passed).toBe(true);
  });
});

describe('bcrypt-hashed management keys', () => {
  const hash = bcrypt.hashSync('right-key', 6);
  const hashed = () => ({ secretKey: hash, allowRemote: true });

  it('accepts the right key and refuses a wrong one', async () => {
    const gate = managementAuth(hashed);
    expect((await call(gate, '127.0.0.1', 'right-key')).passed).toBe(true);
    expect((await call(gate, '127.0.0.1', 'wrong')).status).toBe(401);
  });

  it('one address gets one compare at a time: 20 parallel guesses from it cost one bcrypt run, the rest are 429', async () => {
    const gate = managementAuth(hashed);
    const results = await Promise.all(Array.from({ length: 20 }, () => call(gate, '127.0.0.1', 'wrong')));
    const counts = results.reduce<Record<number, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 1, 429: 19 });
  });

  it('many addresses at once: 2 compares run and 8 wait; the rest are told to retry (429), none stall the loop', async () => {
    const gate = managementAuth(hashed);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(gate, `203.0.113.${i + 1}`, 'wrong')));
    const counts = results.reduce<Record<number, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 10, 429: 10 });
    // Retry later: the quota frees up as compares finish.
    expect((await call(gate, '203.0.113.200', 'right-key')).passed).toBe(true);
  });
});
