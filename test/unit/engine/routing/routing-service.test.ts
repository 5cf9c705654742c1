import { describe, expect, it } from 'vitest';
import { configSchema, type SwitchyardConfig } from '../../../../src-shared/config/schema';
import type { Resolution } from '../../../../src-main/engine/routing/contract';
import type { Account } from '../../../../src-main/engine/providers/provider';
import { Routing, type AllCoolingError } from '../../../../src-main/engine/routing';
import type { Candidate } from '../../../../src-main/engine/routing/types';
import { account, countBy, FakeClock, outcomeOf, type RawOutcome } from './helpers';

type Upstream = (c: Candidate) => RawOutcome;
const OK: RawOutcome = { ok: true };

function setup(accts: Account[], cfg: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  let accounts: readonly Account[] = accts;
  let config: SwitchyardConfig = configSchema.parse(cfg);
  const routing = new Routing({
    accounts: () => accounts,
    config: () => config,
    defaultModels: (a) => (a.provider === 'codex' ? ['gpt-5', 'gpt-5-codex'] : []),
    clock,
  });
  return {
    clock,
    routing,
    setAccounts: (a: Account[]) => (accounts = a),
    setConfig: (c: Record<string, unknown>) => (config = configSchema.parse(c)),
  };
}

/**
 * The failover runner in miniature (the real one is engine/pipeline/failover.ts): take candidates
 * from the request's route session, stop on a final verdict, wait between passes as it says, else
 * answer all-blocked.
 */
function serve(routing: Routing, clock: FakeClock, model: string, upstream: Upstream) {
  const session = routing.begin(model);
  if (!session) return { status: 404, attempts: 0 };
  let attempts = 0;
  let last: RawOutcome | undefined;
  for (;;) {
    const c = session.next();
    if (!c) {
      const delay = session.wait();
      if (delay === undefined) break;
      clock.advance(delay);
      continue;
    }
    attempts++;
    let outcome = upstream(c);
    let verdict = session.report(c, outcomeOf(c.account, outcome, clock.now()));
    if (verdict.refresh && !outcome.ok) {
      outcome = upstream(c); // the token cache refreshed; same account once more
      verdict = session.report(c, outcomeOf(c.account, outcome, clock.now()));
    }
    if (outcome.ok) return { status: 200, account: c.account.id, upstreamModel: c.upstreamModel, attempts };
    last = outcome;
    if (verdict.final) return { status: outcome.status, attempts };
  }
  if (last && last.ok === false && last.status !== 429 && session.hasFree()) return { status: last.status, attempts };
  const err = session.allBlocked();
  return { status: err.status, retryAfter: err.retryAfterSeconds, error: err, attempts };
}

const codexLimit = (resetsInSeconds: number): RawOutcome => ({
  ok: false,
  status: 429,
  headers: {},
  body: JSON.stringify({ error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: resetsInSeconds } }),
});

describe('Routing (the RoutingService the pipeline calls)', () => {
  it('2,000 requests over 4 accounts, one 429ing from halfway: no client-visible errors while others have capacity', () => {
    const accts = ['a', 'b', 'c', 'd'].map((id, i) => account({ id, order: i, provider: 'codex', kind: 'oauth' }));
    const { routing, clock } = setup(accts);
    let n = 0;
    const results = [] as Array<ReturnType<typeof serve>>;
    const upstream: Upstream = (c) => (n >= 1000 && c.account.id === 'd' ? codexLimit(30) : OK);
    for (n = 0; n < 2000; n++) {
      results.push(serve(routing, clock, 'gpt-5', upstream));
      clock.advance(50);
    }
    const errors = results.filter((r) => r.status !== 200);
    const first = countBy(results.slice(0, 1000), (r) => r.account!);
    const second = countBy(results.slice(1000), (r) => r.account!);
    const failovers = results.slice(1000).filter((r) => r.attempts > 1).length;
    console.log(`distribution first half ${JSON.stringify(first)}, second half ${JSON.stringify(second)}, failovers ${failovers}`);
    expect(errors).toEqual([]);
    expect(first).toEqual({ a: 250, b: 250, c: 250, d: 250 });
    expect(second.d).toBeUndefined();
    // The benched account is retried only when its window reopens (every 30 s = 600 requests here).
    expect(failovers).toBeGreaterThanOrEqual(1);
    expect(failovers).toBeLessThanOrEqual(3);
    for (const id of ['a', 'b', 'c']) expect(Math.abs(second[id] - 1000 / 3)).toBeLessThanOrEqual(2);
  });

  it('a Codex reset hint benches the account until exactly that instant', () => {
    const accts = ['a', 'b'].map((id, i) => account({ id, order: i, provider: 'codex', kind: 'oauth' }));
    const { routing, clock } = setup(accts, { routing: { strategy: 'fill-first' } });
    const resetAt = Math.floor(clock.now() / 1000) + 3600;
    const limited = JSON.stringify({ error: { type: 'usage_limit_reached', resets_at: resetAt } });
    let aLimited = true;
    const upstream: Upstream = (c) => (c.account.id === 'a' && aLimited ? { ok: false, status: 429, headers: {}, body: limited } : OK);
    expect(serve(routing, clock, 'gpt-5', upstream)).toMatchObject({ status: 200, account: 'b', attempts: 2 });
    aLimited = false; // the upstream reset; we still trust the hint until its time comes
    clock.t = resetAt * 1000 - 1;
    expect(serve(routing, clock, 'gpt-5', upstream)).toMatchObject({ account: 'b', attempts: 1 });
    clock.t = resetAt * 1000;
    expect(serve(routing, clock, 'gpt-5', upstream)).toMatchObject({ account: 'a', attempts: 1 });
    expect(routing.cooldowns()).toEqual([]);
  });

  it('all candidates cooling → 429 with Retry-After and which accounts free up when', () => {
    const accts = ['a', 'b'].map((id, i) => account({ id, label: `${id}@x.test`, order: i, provider: 'codex', kind: 'oauth' }));
    const { routing, clock } = setup(accts, { 'max-retry-interval': 0 });
    const r = serve(routing, clock, 'gpt-5', (c) => codexLimit(c.account.id === 'a' ? 120 : 45));
    expect(r).toMatchObject({ status: 429, retryAfter: 45 });
    expect((r.error as AllCoolingError | undefined)?.details.accounts.map((a) => a.id)).toEqual(['b', 'a']);
    // The next request does not even reach the upstream.
    expect(serve(routing, clock, 'gpt-5', () => OK)).toMatchObject({ status: 429, attempts: 0, retryAfter: 45 });
  });

  it('waits for a short cooldown within max-retry-interval instead of failing', () => {
    const accts = [account({ id: 'a', provider: 'codex', kind: 'oauth' })];
    const { routing, clock } = setup(accts, { 'max-retry-interval': 30, 'request-retry': 2 });
    let calls = 0;
    const start = clock.now();
    const r = serve(routing, clock, 'gpt-5', () => (++calls === 1 ? codexLimit(5) : OK));
    expect(r).toMatchObject({ status: 200, attempts: 2 });
    expect(clock.now() - start).toBe(5000);
  });

  it('invalid requests are not retried and leave other accounts alone', () => {
    const accts = ['a', 'b', 'c'].map((id) => account({ id, provider: 'codex', kind: 'oauth' }));
    const { routing, clock } = setup(accts);
    const seen: string[] = [];
    const r = serve(routing, clock, 'gpt-5', (c) => {
      seen.push(c.account.id);
      return { ok: false, status: 400, headers: {}, body: '{"error":{"type":"invalid_request_error","message":"Unsupported parameter: foo"}}' };
    });
    expect(r).toEqual({ status: 400, attempts: 1 });
    expect(seen).toHaveLength(1);
    expect(routing.cooldowns()).toEqual([]);
  });

  it('401 on an OAuth account: one refresh, and a success afterwards leaves no cooldown', () => {
    const { routing, clock } = setup([account({ id: 'a', provider: 'codex', kind: 'oauth' })]);
    let calls = 0;
    const r = serve(routing, clock, 'gpt-5', () => (++calls === 1 ? { ok: false, status: 401, headers: {}, body: '' } : OK));
    expect(r).toMatchObject({ status: 200, account: 'a' });
    expect(calls).toBe(2);
    expect(routing.cooldowns()).toEqual([]);
  });

  it('401 that survives the refresh: needs sign-in (not cooling), 401 naming the account, models hidden', () => {
    const accts = [account({ id: 'a', label: 'me@x.test', provider: 'codex', kind: 'oauth' }), account({ id: 'k', models: [{ name: 'other' }] })];
    const { routing, clock } = setup(accts);
    expect(routing.listModels().map((m) => m.id)).toEqual(['gpt-5', 'gpt-5-codex', 'other']);
    const r = serve(routing, clock, 'gpt-5', () => ({ ok: false, status: 401, headers: {}, body: '{"error":{"message":"token revoked"}}' }));
    expect(r.status).toBe(401);
    expect(r.retryAfter).toBeUndefined();
    expect(r.error?.message).toContain('"me@x.test" needs a new sign-in');
    expect(r.error?.message).toContain('switchyard login codex');
    expect(r.error?.message).toContain('token revoked');
    expect(routing.cooldownsFor('a')).toEqual([]);
    expect(routing.authBlock(accts[0])).toMatchObject({ kind: 'needs-sign-in', status: 401 });
    expect(routing.listModels().map((m) => m.id)).toEqual(['other']);
    // Hours later it is still blocked: waiting does not fix a rejected credential.
    clock.advance(5 * 3_600_000);
    expect(serve(routing, clock, 'gpt-5', () => OK)).toMatchObject({ status: 401, attempts: 0 });
    routing.resetCooldowns({ accountId: 'a' });
    expect(routing.listModels().map((m) => m.id)).toEqual(['gpt-5', 'gpt-5-codex', 'other']);
  });

  it('a rejected key lifts at once when its credential changes (edit, new sign-in, refreshed token)', () => {
    const acct = account({ id: 'k1', label: 'Claude key …abcd', models: [{ name: 'm' }] });
    let fp = 'v1';
    const clock = new FakeClock();
    const routing = new Routing({
      accounts: () => [acct],
      config: () => configSchema.parse({}),
      defaultModels: () => [],
      clock,
      credentialFingerprint: () => fp,
    });
    const first = serve(routing, clock, 'm', () => ({ ok: false, status: 403, headers: {}, body: '{"error":{"message":"forbidden key"}}' }));
    expect(first).toMatchObject({ status: 403 });
    expect(first.error?.message).toContain('The key for Claude key …abcd was rejected');
    expect(serve(routing, clock, 'm', () => OK)).toMatchObject({ status: 403, attempts: 0 });
    fp = 'v2';
    expect(serve(routing, clock, 'm', () => OK)).toMatchObject({ status: 200, attempts: 1 });
  });

  it('a signed-out account that left the list still answers 401 for its models, not 404', () => {
    const a = account({ id: 'a', label: 'me@x.test', provider: 'codex', kind: 'oauth' });
    const { routing, clock, setAccounts } = setup([a]);
    serve(routing, clock, 'gpt-5', () => ({ ok: false, status: 401, headers: {}, body: '' }));
    setAccounts([]);
    expect(serve(routing, clock, 'gpt-5', () => OK)).toMatchObject({ status: 401, attempts: 0 });
  });

  it('accounts resting after a 5xx (not a rate limit): 503 saying why, no Retry-After', () => {
    const { routing, clock } = setup([account({ id: 'a', label: 'fake', models: [{ name: 'm' }] })], { 'max-retry-interval': 0 });
    serve(routing, clock, 'm', () => ({ ok: false, status: 500, headers: {}, body: '{"error":{"message":"boom"}}' }));
    const next = serve(routing, clock, 'm', () => OK);
    expect(next).toMatchObject({ status: 503, attempts: 0, retryAfter: undefined });
    expect(next.error?.message).toBe('No account can serve model m right now: fake failed (transient: boom) and rests for 1m0s');
  });

  it('skipped() says why each candidate was passed over', () => {
    const accts = [account({ id: 'a', provider: 'codex', kind: 'oauth' }), account({ id: 'b', provider: 'codex', kind: 'oauth' }), account({ id: 'c', provider: 'codex', kind: 'oauth', disabled: true })];
    const { routing, clock } = setup(accts, { 'max-retry-interval': 0 });
    serve(routing, clock, 'gpt-5', (c) => (c.account.id === 'a' ? { ok: false, status: 401, headers: {}, body: '' } : codexLimit(90)));
    const why = Object.fromEntries(routing.begin('gpt-5')!.skipped().map((s) => [s.candidate.account.id, s.reason]));
    expect(why.a).toMatch(/^needs sign-in \(upstream 401/);
    expect(why.b).toMatch(/^cooling until .* \(1m30s left; quota/);
    expect(why.c).toBe('disabled');
  });

  it('quota-cooled models stay listed (they come back on their own)', () => {
    const { routing, clock } = setup([account({ id: 'a', provider: 'codex', kind: 'oauth' })]);
    serve(routing, clock, 'gpt-5', () => codexLimit(600));
    expect(routing.listModels().map((m) => m.id)).toContain('gpt-5');
  });

  it('alias pool fails over to the next upstream model before giving up', () => {
    const acct = account({ id: 'or', models: [{ name: 'up-1', alias: 'pool' }, { name: 'up-2', alias: 'pool' }] });
    const { routing, clock } = setup([acct], { routing: { strategy: 'fill-first' } });
    const r = serve(routing, clock, 'pool', (c) => (c.upstreamModel === 'up-1' ? { ok: false, status: 503, headers: {}, body: 'overloaded' } : OK));
    expect(r).toMatchObject({ status: 200, upstreamModel: 'up-2', attempts: 2 });
  });

  it('priority groups: the lower group only serves while the higher one is cooling', () => {
    const accts = [account({ id: 'main', priority: 5, models: [{ name: 'm' }] }), account({ id: 'backup', priority: 0, models: [{ name: 'm' }] })];
    const { routing, clock } = setup(accts);
    let mainDown = false;
    const upstream: Upstream = (c) => (mainDown && c.account.id === 'main' ? { ok: false, status: 500, headers: {}, body: '' } : OK);
    expect(serve(routing, clock, 'm', upstream).account).toBe('main');
    expect(serve(routing, clock, 'm', upstream).account).toBe('main');
    mainDown = true;
    expect(serve(routing, clock, 'm', upstream)).toMatchObject({ account: 'backup', attempts: 2 });
    expect(serve(routing, clock, 'm', upstream)).toMatchObject({ account: 'backup', attempts: 1 });
    mainDown = false;
    clock.advance(60_000);
    expect(serve(routing, clock, 'm', upstream).account).toBe('main');
  });

  it('hot reload: strategy, disable-cooling and payload rules change; rotation and cooldowns carry over', () => {
    const mk = () => ['a', 'b', 'c'].map((id, i) => account({ id, order: i, models: [{ name: 'm' }] }));
    const env = setup(mk());
    const { routing, clock } = env;
    expect(serve(routing, clock, 'm', () => OK).account).toBe('a');
    env.setAccounts(mk()); // fresh objects, same ids (what a config reload produces)
    expect(serve(routing, clock, 'm', () => OK).account).toBe('b');
    serve(routing, clock, 'm', (c) => (c.account.id === 'c' ? { ok: false, status: 502, headers: {}, body: '' } : OK));
    expect(routing.cooldowns().map((e) => e.accountId)).toEqual(['c']);

    env.setConfig({ 'disable-cooling': true, routing: { strategy: 'fill-first' }, payload: { override: [{ models: [{ name: 'm' }], params: { 'x.y': 1 } }] } });
    expect(routing.cooldowns()).toEqual([]);
    expect(serve(routing, clock, 'm', () => OK).account).toBe('a');
    expect(routing.hasPayloadRules()).toBe(true);
    expect(routing.applyPayloadRules({ model: 'm' }, { model: 'm', protocol: 'openai-chat' })).toEqual({ model: 'm', x: { y: 1 } });
    serve(routing, clock, 'm', () => ({ ok: false, status: 502, headers: {}, body: '' }));
    expect(routing.cooldowns()).toEqual([]);
  });

  it('resolve carries the thinking suffix; unknown models resolve to undefined', () => {
    const { routing } = setup([account({ id: 'a', provider: 'codex', kind: 'oauth', prefix: 'work' })], { 'force-model-prefix': true });
    const r = routing.resolve('work/gpt-5(high)') as Resolution;
    expect(r.model).toBe('work/gpt-5');
    expect(r.reasoning).toEqual({ effort: 'high', budget: 24576 });
    expect(r.candidates[0]).toMatchObject({ upstreamModel: 'gpt-5', clientModel: 'work/gpt-5(high)' });
    expect(routing.resolve('gpt-5')).toBeUndefined();
  });

  it('hasFree peeks without moving the rotation', () => {
    const { routing, clock } = setup(['a', 'b'].map((id) => account({ id, models: [{ name: 'm' }] })));
    const session = routing.begin('m')!;
    for (let i = 0; i < 3; i++) expect(session.hasFree()).toBe(true);
    expect(serve(routing, clock, 'm', () => OK).account).toBe('a');
    expect(serve(routing, clock, 'm', () => OK).account).toBe('b');
  });
});
