import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createControl, type Control, type ContractEvent } from '../../../../src-main/engine/control';
import { FakeEngine } from './fake-facade';

let engine: FakeEngine;
let control: Control;
let seen: ContractEvent[];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  engine = await FakeEngine.create();
  engine.addOauthAccount({ id: 'claude:a', provider: 'claude', label: 'a@example.com' });
  engine.addOauthAccount({ id: 'codex:b', provider: 'codex', label: 'b@example.com' });
  control = createControl(engine, { quotaThrottleMs: 30, statusThrottleMs: 30 });
  seen = [];
  control.events.subscribe((e) => seen.push(e));
});
afterEach(() => {
  control.dispose();
  engine.close();
});

const w = (used: number) => [{ id: '5h', label: '5-hour', kind: '5h' as const, usedPercent: used, resetAt: null, windowSeconds: 18000, source: 'traffic' as const, observedAt: 1 }];

describe('contract events', () => {
  it('coalesces quota changes into one snapshot of the changed accounts', async () => {
    engine.setWindows('claude:a', w(10));
    engine.setWindows('claude:a', w(20));
    engine.setWindows('codex:b', w(30));
    await wait(60);
    const q = seen.filter((e) => e.event === 'app:quota:updated');
    expect(q).toHaveLength(1);
    const payload = q[0].payload as { accounts: Array<{ accountId: string; windows: Array<{ usedPercent: number }> }> };
    expect(payload.accounts.map((a) => [a.accountId, a.windows[0].usedPercent])).toEqual([
      ['claude:a', 20],
      ['codex:b', 30],
    ]);
  });

  it('emits a log line per request and a throttled status refresh', async () => {
    engine.recordRequest({ requestedModel: 'a' });
    engine.recordRequest({ requestedModel: 'b' });
    await wait(60);
    expect(seen.filter((e) => e.event === 'app:logs:request-logged')).toHaveLength(2);
    const st = seen.filter((e) => e.event === 'app:status:changed');
    expect(st).toHaveLength(1);
    expect((st[0].payload as { today: { requests: number } }).today.requests).toBe(2);
  });

  it('reports sign-in progress and the new account in the result', async () => {
    const r = await control.invoke('app:accounts:sign-in-start', { provider: 'claude' }, { transport: 'test' });
    expect(r.ok).toBe(true);
    const flowId = (r as { data: { flowId: string } }).data.flowId;
    await wait(5);
    engine.completeSignIn(flowId, 'new@example.com');
    const names = seen.map((e) => e.event);
    expect(names).toContain('app:accounts:sign-in-progress');
    expect(names).toContain('app:accounts:changed');
    const result = seen.find((e) => e.event === 'app:accounts:sign-in-result')!.payload as { ok: boolean; account: { label: string } };
    expect(result.ok).toBe(true);
    expect(result.account.label).toBe('new@example.com');
  });

  it('emits settings after a config edit and status on stop', async () => {
    await control.invoke('app:settings:update', { requestRetry: 1 }, { transport: 'test' });
    expect(seen.some((e) => e.event === 'app:settings:changed')).toBe(true);
    await control.invoke('app:engine:stop', {}, { transport: 'test' });
    const st = seen.filter((e) => e.event === 'app:status:changed').at(-1)!;
    expect((st.payload as { state: string }).state).toBe('stopped');
  });

  it('drops a malformed engine event instead of emitting it', () => {
    engine.emit({ type: 'quota-threshold', event: { bogus: true } as never });
    expect(seen).toEqual([]);
  });
});
