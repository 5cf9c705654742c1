import { expect, it } from 'vitest';
import { RecordKeeper } from '../../../../src-main/engine/pipeline/request-record';
import type { Candidate } from '../../../../src-main/engine/pipeline/types';
import type { Account } from '../../../../src-main/engine/providers/provider';

const candidate = (id: string, label?: string): Candidate => ({
  account: { id, provider: 'codex', label } as Account,
  upstreamModel: 'gpt-5-codex',
  clientModel: 'gpt-5',
});

const opening = { requestId: 'r1', inboundFormat: 'openai-chat', operation: 'generate', requestedModel: 'gpt-5', stream: false } as const;

it('opens a record at arrival with status 0 and no attempt, and closes it with what happened', () => {
  const before = Date.now();
  const k = new RecordKeeper(opening);
  expect(k.record).toMatchObject({ ...opening, status: 0, attempts: 0, latencyMs: 0 });
  expect(k.record.time).toBeGreaterThanOrEqual(before);
  k.trying(candidate('codex:a', 'a@example.com'));
  k.failed(candidate('codex:a', 'a@example.com'), { status: 429, reason: 'rate limited', upstreamMessage: '  slow\n down  ', retryAt: 123 });
  k.trying(candidate('codex:b'));
  k.ok(candidate('codex:b'));
  const r = k.close(200);
  expect(r).toMatchObject({ status: 200, attempts: 2, accountId: 'codex:b', upstreamModel: 'gpt-5-codex', upstreamStatus: 200, upstreamMessage: 'slow down', retryAt: 123 });
  expect(r.accountLabel).toBeUndefined();
  expect(r.tried).toEqual([
    { accountId: 'codex:a', accountLabel: 'a@example.com', provider: 'codex', outcome: 'failed', reason: 'rate limited', status: 429 },
    { accountId: 'codex:b', provider: 'codex', outcome: 'ok', reason: 'served', status: 200 },
  ]);
  expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  expect(r.errorClass).toBeUndefined();
});

it('gives every record the same fields in the same order from the start, whatever it opened with', () => {
  const plain = new RecordKeeper(opening).record;
  const keyed = new RecordKeeper({ ...opening, clientKeyLabel: 'laptop', time: 5, status: 0, latencyMs: 0, attempts: 0 });
  keyed.trying(candidate('codex:a', 'a'));
  keyed.close(502, { status: 502, kind: 'server', code: 'upstream_error', message: 'bad gateway' }, performance.now());
  expect(Object.keys(keyed.record)).toEqual(Object.keys(plain));
  expect(keyed.record).toMatchObject({ time: 5, clientKeyLabel: 'laptop', status: 502, errorClass: 'server', errorMessage: 'bad gateway' });
});
