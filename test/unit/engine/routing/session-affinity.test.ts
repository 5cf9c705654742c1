import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../src-shared/config/schema';
import { Routing } from '../../../../src-main/engine/routing';
import { affinityTtlMs, SessionAffinity, sessionKeyOf } from '../../../../src-main/engine/routing/session-affinity';
import { account, FakeClock, outcomeOf } from './helpers';

describe('sessionKeyOf', () => {
  it('reads client session headers first', () => {
    expect(sessionKeyOf({ 'X-Claude-Code-Session-Id': 'abc' }, {})).toBe('h:abc');
    expect(sessionKeyOf({ session_id: 's1' }, { prompt_cache_key: 'k' })).toBe('h:s1');
  });

  it('then body ids: prompt_cache_key, Claude metadata.user_id, Responses conversation', () => {
    expect(sessionKeyOf({}, { prompt_cache_key: 'pk' })).toBe('k:pk');
    expect(sessionKeyOf({}, { metadata: { user_id: 'user_ab12_account_x_session_0f0e0d0c-1111-2222-3333-444455556666' } })).toBe(
      'c:0f0e0d0c-1111-2222-3333-444455556666',
    );
    expect(sessionKeyOf({}, { metadata: { user_id: JSON.stringify({ device_id: 'd', session_id: 'sess-9' }) } })).toBe('c:sess-9');
    expect(sessionKeyOf({}, { conversation: { id: 'conv_1' } })).toBe('v:conv_1');
  });

  it('falls back to the first message of a multi-turn request; one-shot prompts have no session', () => {
    const turn2 = { messages: [{ role: 'user', content: 'plan a trip' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }] };
    const turn3 = { messages: [...turn2.messages, { role: 'assistant', content: 'x' }, { role: 'user', content: 'y' }] };
    expect(sessionKeyOf({}, turn2)).toBe(sessionKeyOf({}, turn3));
    expect(sessionKeyOf({}, { messages: [{ role: 'user', content: 'hi' }] })).toBeUndefined();
  });

  it('parses the ttl', () => {
    expect(affinityTtlMs('30m')).toBe(1_800_000);
    expect(affinityTtlMs(90)).toBe(90_000);
    expect(affinityTtlMs(undefined)).toBe(3_600_000);
  });

  it('bindings expire and the table stays bounded', () => {
    const a = new SessionAffinity(1000, 2);
    a.bind('s1', 'x', 0);
    expect(a.get('s1', 999)).toBe('x');
    expect(a.get('s1', 1000)).toBeUndefined();
    a.bind('a', '1', 0);
    a.bind('b', '2', 0);
    a.bind('c', '3', 0);
    expect(a.size()).toBe(2);
    expect(a.get('a', 1)).toBeUndefined();
  });
});

describe('Routing with routing.session-affinity', () => {
  const setup = (affinity: boolean) => {
    const clock = new FakeClock();
    const accts = ['a', 'b', 'c'].map((id, i) => account({ id, order: i, models: [{ name: 'm' }] }));
    const cfg = configSchema.parse({ routing: { strategy: 'round-robin', 'session-affinity': affinity, 'session-affinity-ttl': '10m' } });
    return { clock, routing: new Routing({ accounts: () => accts, config: () => cfg, defaultModels: () => [], clock }) };
  };
  const send = (routing: Routing, session: string, fail?: string) => {
    const route = routing.begin('m', { headers: { 'session-id': session }, body: {} })!;
    for (let c = route.next(); c; c = route.next()) {
      if (c.account.id === fail) {
        route.report(c, outcomeOf(c.account, { ok: false, status: 503, headers: {}, body: '' }, Date.now()));
        continue;
      }
      route.report(c, { ok: true });
      return c.account.id;
    }
    return undefined;
  };

  it('keeps a session on its account while new sessions keep rotating', () => {
    const { routing } = setup(true);
    expect(send(routing, 's1')).toBe('a');
    expect(send(routing, 's2')).toBe('b');
    expect([send(routing, 's1'), send(routing, 's1'), send(routing, 's2')]).toEqual(['a', 'a', 'b']);
    expect(send(routing, 's3')).toBe('c');
  });

  it('moves the session when its account fails', () => {
    const { routing, clock } = setup(true);
    expect(send(routing, 's1')).toBe('a');
    expect(send(routing, 's1', 'a')).toBe('b');
    clock.advance(60_000); // a's transient cooldown is over; s1 stays where it moved
    expect(send(routing, 's1')).toBe('b');
  });

  it('a binding expires after session-affinity-ttl', () => {
    const { routing, clock } = setup(true);
    expect(send(routing, 's1')).toBe('a');
    expect(send(routing, 's2')).toBe('b');
    clock.advance(599_999);
    expect(send(routing, 's1')).toBe('a'); // still bound (and refreshed)
    clock.advance(600_000);
    expect(send(routing, 's1')).toBe('c'); // expired: back to the rotation
  });

  it('is off unless configured', () => {
    const { routing } = setup(false);
    expect([send(routing, 's1'), send(routing, 's1'), send(routing, 's1')]).toEqual(['a', 'b', 'c']);
  });
});
