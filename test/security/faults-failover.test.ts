import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from './faults-upstream';
import { call, COUNT_TOKENS, faultWorld, lastRecord, ROUTES, type FaultWorld } from './faults-helpers';

/**
 * Issue 12, D5–D7 and D21: an upstream whose answer breaks before any byte reached the client
 * (reset, stall, slow drip, HTML or empty 200, a stream with no output, a giant body or line)
 * is a failed account — the request fails over to the next one, and the failure is recorded
 * with the upstream's status and why. Every route kind.
 */
const BEFORE_FIRST_BYTE: Fault[] = ['reset-before-headers', 'reset-after-headers', 'stall-before-headers', 'stall-after-headers', 'html-200', 'empty-200', 'giant-line'];
const STREAM_ONLY: Fault[] = ['done-only'];
const NON_STREAM_ONLY: Fault[] = ['drip', 'giant-body', 'reset-mid-body'];

function faultsFor(stream: boolean, route: string): Fault[] {
  const all = [...BEFORE_FIRST_BYTE, ...(stream ? STREAM_ONLY : NON_STREAM_ONLY)];
  // A giant passthrough JSON answer streams to the client (D7): it is served, not a fault.
  return route === 'passthrough non-stream' ? all.filter((f) => f !== 'giant-body' && f !== 'giant-line') : all;
}

describe('upstream body faults fail over to the next account (two keys, the first one broken)', () => {
  let w: FaultWorld;
  beforeAll(async () => {
    w = await faultWorld(['bad', 'good']);
  });
  afterAll(() => w.close());
  beforeEach(() => {
    w.engine.engine.routing.resetCooldowns();
    w.up.faults.clear();
  });

  for (const route of ROUTES) {
    for (const fault of faultsFor(route.stream, route.name)) {
      it(`${route.name}: ${fault} → served by the next key, failure recorded`, async () => {
        w.up.faults.set('bad', fault);
        const before = w.records.length;
        const r = await call(w.engine.url, route);
        expect(r.status, r.text.slice(0, 300)).toBe(200);
        expect(route.served(r.text)).toBe(route.name === 'embeddings' ? 'some key' : 'good');
        const rec = await lastRecord(w.records, before);
        expect(rec.status).toBe(200);
        expect(rec.attempts).toBe(2);
        expect(rec.tried?.map((t) => t.outcome)).toEqual(['failed', 'ok']);
        const failed = rec.tried![0];
        expect(failed.reason.length).toBeGreaterThan(5);
        // Faults after the headers keep the status the upstream sent (200); resets before have none.
        if (fault === 'reset-before-headers' || fault === 'stall-before-headers') expect(failed.status).toBe(0);
        else expect(failed.status).toBe(200);
      }, 20_000);
    }
  }

  it('count-tokens: every fault falls through to the next key', async () => {
    for (const fault of [...BEFORE_FIRST_BYTE, 'drip', 'giant-body'] as Fault[]) {
      w.up.faults.set('bad', fault);
      const r = await call(w.engine.url, COUNT_TOKENS);
      expect(r.status, fault).toBe(200);
      expect(COUNT_TOKENS.served(r.text), `${fault}: ${r.text}`).toBe('upstream');
    }
  }, 60_000);
});

describe('upstream body faults with no account left: 502/504 in the caller format, recorded', () => {
  let w: FaultWorld;
  beforeAll(async () => {
    w = await faultWorld(['only']);
  });
  afterAll(() => w.close());
  beforeEach(() => {
    w.engine.engine.routing.resetCooldowns();
    w.up.faults.clear();
  });

  const expectations: Array<[Fault, number, RegExp]> = [
    ['reset-after-headers', 502, /upstream unreachable|socket|closed|terminated/i],
    ['stall-after-headers', 504, /timed out|within/i],
    ['html-200', 502, /<!DOCTYPE html>|without any output|not JSON/],
    ['empty-200', 502, /empty body|without any output/],
  ];
  for (const route of ROUTES) {
    for (const [fault, status, message] of expectations) {
      it(`${route.name}: ${fault} → ${status}`, async () => {
        w.up.faults.set('only', fault);
        const before = w.records.length;
        const r = await call(w.engine.url, route);
        expect(r.status, r.text.slice(0, 300)).toBe(status);
        const body = JSON.parse(r.text) as { error?: { message?: string; type?: string } ; type?: string };
        expect(body.error?.message).toMatch(message);
        // The caller's format: Claude errors carry `type: "error"`, OpenAI ones do not.
        if (route.path === '/v1/messages') expect(body.type).toBe('error');
        const rec = await lastRecord(w.records, before);
        expect(rec.status).toBe(status);
        expect(rec.errorClass).toBeTruthy();
        expect(rec.tried?.[0]).toMatchObject({ outcome: 'failed', accountId: expect.any(String) });
        expect(rec.upstreamMessage).toBeTruthy();
      }, 20_000);
    }
  }

  it('a stream with only [DONE] is no answer: 502, not an empty success', async () => {
    for (const route of ROUTES.filter((r) => r.stream)) {
      w.engine.engine.routing.resetCooldowns();
      w.up.faults.set('only', 'done-only');
      const r = await call(w.engine.url, route);
      expect(r.status, route.name).toBe(502);
      expect(r.text).toContain('without any output');
    }
  });

  it('non-stream giant body on a translated route: 502 naming limits.upstream-body-mb', async () => {
    for (const route of ROUTES.filter((r) => !r.stream && r.name !== 'passthrough non-stream')) {
      w.engine.engine.routing.resetCooldowns();
      w.up.faults.set('only', 'giant-body');
      const r = await call(w.engine.url, route);
      expect(r.status, route.name).toBe(502);
      expect(r.text).toContain('limits.upstream-body-mb');
    }
  });

  it('stream with an endless line: 502 naming limits.sse-line-kb', async () => {
    for (const route of ROUTES.filter((r) => r.stream)) {
      w.engine.engine.routing.resetCooldowns();
      w.up.faults.set('only', 'giant-line');
      const r = await call(w.engine.url, route);
      expect(r.status, route.name).toBe(502);
      expect(r.text).toContain('limits.sse-line-kb');
    }
  });

  it('a slow drip cannot hold a non-stream request past request-timeout-seconds (D21)', async () => {
    for (const route of ROUTES.filter((r) => !r.stream)) {
      w.engine.engine.routing.resetCooldowns();
      w.up.faults.set('only', 'drip');
      const r = await call(w.engine.url, route);
      expect(r.status, `${route.name}: ${r.text}`).toBe(504);
      expect(r.text).toContain('request-timeout-seconds');
    }
  }, 30_000);

  it('count-tokens with its only upstream broken still answers (local estimate), never 500', async () => {
    for (const fault of ['reset-after-headers', 'stall-after-headers', 'html-200', 'empty-200', 'giant-body'] as Fault[]) {
      w.up.faults.set('only', fault);
      const r = await call(w.engine.url, COUNT_TOKENS);
      expect(r.status, fault).toBe(200);
      expect(JSON.parse(r.text)).toMatchObject({ input_tokens: expect.any(Number) });
    }
  }, 30_000);
});

describe('faults after the first byte: no failover, an error in the stream, recorded', () => {
  let w: FaultWorld;
  beforeAll(async () => {
    w = await faultWorld(['bad', 'good']);
  });
  afterAll(() => w.close());
  beforeEach(() => {
    w.engine.engine.routing.resetCooldowns();
    w.up.faults.clear();
  });

  for (const route of ROUTES.filter((r) => r.stream)) {
    for (const [fault, message] of [
      ['reset-mid-body', /unreachable|terminated|closed|socket/i],
      ['stall-mid-body', /timed out/i],
    ] as Array<[Fault, RegExp]>) {
      it(`${route.name}: ${fault} → the stream ends with an error event, the request is recorded as failed`, async () => {
        w.up.faults.set('bad', fault);
        const before = w.records.length;
        const r = await call(w.engine.url, route);
        expect(r.status).toBe(200);
        expect(r.text).toContain('hi from bad');
        expect(r.text).not.toContain('hi from good');
        expect(r.text).toMatch(/"error"/);
        expect(r.text).toMatch(message);
        const rec = await lastRecord(w.records, before);
        expect(rec.attempts).toBe(1);
        expect(rec.errorClass).toBe('upstream');
        expect(rec.errorMessage).toMatch(message);
      }, 20_000);
    }
  }

  for (const route of ROUTES.filter((r) => r.stream)) {
    it(`${route.name}: a client that leaves during the read-ahead is recorded as 499 and benches no account`, async () => {
      w.up.faults.set('bad', 'stall-after-headers');
      const before = w.records.length;
      const calls = w.up.calls.get('bad') ?? 0;
      const ac = new AbortController();
      const pending = fetch(`${w.engine.url}${route.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(route.body),
        signal: ac.signal,
      }).catch(() => undefined);
      for (let i = 0; i < 200 && (w.up.calls.get('bad') ?? 0) === calls; i++) await new Promise((r) => setTimeout(r, 5));
      ac.abort();
      await pending;
      const rec = await lastRecord(w.records, before);
      expect(rec.status).toBe(499);
      expect(w.engine.engine.routing.cooldowns()).toEqual([]);
    }, 20_000);
  }

  it('passthrough non-stream: a big answer streams through whole (not buffered, not capped)', async () => {
    w.up.faults.set('bad', 'giant-body');
    const route = ROUTES.find((r) => r.name === 'passthrough non-stream')!;
    const r = await call(w.engine.url, route);
    expect(r.status).toBe(200);
    expect(r.text.length).toBeGreaterThan(w.up.giantBytes);
    expect(r.text.endsWith('"}')).toBe(true);
  }, 20_000);

  it('passthrough non-stream: cut after bytes went out → the client connection is cut too, never a short "complete" body', async () => {
    w.up.faults.set('bad', 'giant-then-reset');
    const route = ROUTES.find((r) => r.name === 'passthrough non-stream')!;
    const before = w.records.length;
    const r = await call(w.engine.url, route);
    expect(r.text).toMatch(/^<<body cut:/);
    const rec = await lastRecord(w.records, before);
    expect(rec.errorClass).toBe('upstream');
  }, 20_000);
});
