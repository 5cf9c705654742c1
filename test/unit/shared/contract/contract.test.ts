import { describe, expect, it } from 'vitest';
import {
  ContractError,
  contract,
  eventChannels,
  httpStatusFor,
  invokeChannels,
  invokeValidated,
  isEventChannel,
  isInvokeChannel,
  validateEvent,
  type Handlers,
} from '../../../../src-shared/contract';

describe('UI contract', () => {
  it('names every channel app:<domain>:<action> and splits invoke from event channels', () => {
    for (const name of Object.keys(contract)) expect(name).toMatch(/^app:[a-z]+:[a-z-]+$/);
    expect(invokeChannels.length + eventChannels.length).toBe(Object.keys(contract).length);
    expect(isInvokeChannel('app:accounts:list')).toBe(true);
    expect(isEventChannel('app:quota:updated')).toBe(true);
    expect(isInvokeChannel('app:quota:updated')).toBe(false);
    expect(isInvokeChannel('toString')).toBe(false);
  });

  it('covers the domains the UI needs', () => {
    for (const c of [
      'app:status:get', 'app:engine:start', 'app:engine:stop', 'app:engine:restart', 'app:accounts:sign-in-start',
      'app:accounts:sign-in-paste-redirect', 'app:accounts:sign-in-cancel', 'app:keys:add', 'app:providers:list',
      'app:quota:get', 'app:quota:refresh', 'app:usage:series', 'app:usage:totals', 'app:usage:recent',
      'app:mappings:preview', 'app:mappings:test', 'app:settings:update', 'app:settings:api-key-reveal',
    ]) expect(invokeChannels).toContain(c);
    for (const e of ['app:status:changed', 'app:accounts:sign-in-progress', 'app:accounts:sign-in-result', 'app:quota:updated', 'app:quota:threshold', 'app:logs:request-logged']) {
      expect(eventChannels).toContain(e);
    }
  });

  const partial = {
    'app:accounts:remove': async (req: { id: string }) => ({ removed: req.id === 'a1' }),
    'app:accounts:set-enabled': async () => {
      throw new ContractError('not-found', 'no such account');
    },
    'app:engine:stop': async () => {
      throw new Error('boom');
    },
    'app:keys:remove': async () => ({ removed: true, apiKey: 'sk-secret' }),
    'app:providers:list': async () => ({ providers: 'nope' }),
  } as unknown as Partial<Handlers>;

  it('validates the payload, runs the handler and wraps the result', async () => {
    expect(await invokeValidated(contract, partial, 'app:accounts:remove', { id: 'a1' })).toEqual({ ok: true, data: { removed: true } });
    const bad = await invokeValidated(contract, partial, 'app:accounts:remove', { id: 5 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('bad-request');
    const extra = await invokeValidated(contract, partial, 'app:accounts:remove', { id: 'a1', sneaky: true });
    expect(extra.ok).toBe(false);
  });

  it('maps unknown channels, thrown ContractErrors and plain errors to codes', async () => {
    const unknown = await invokeValidated(contract, partial, 'app:nope:nope', {});
    expect(!unknown.ok && unknown.error.code).toBe('unknown-channel');
    const event = await invokeValidated(contract, partial, 'app:quota:updated', {});
    expect(!event.ok && event.error.code).toBe('unknown-channel');
    const nf = await invokeValidated(contract, partial, 'app:accounts:set-enabled', { id: 'x', enabled: true });
    expect(nf).toEqual({ ok: false, error: { code: 'not-found', message: 'no such account' } });
    const boom = await invokeValidated(contract, partial, 'app:engine:stop', undefined);
    expect(boom).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
    expect(httpStatusFor('bad-request')).toBe(400);
    expect(httpStatusFor('unknown-channel')).toBe(404);
  });

  it('strips fields that are not in the response schema and rejects malformed responses', async () => {
    const r = await invokeValidated(contract, partial, 'app:keys:remove', { id: 'k' });
    expect(r).toEqual({ ok: true, data: { removed: true } });
    const m = await invokeValidated(contract, partial, 'app:providers:list', undefined);
    expect(!m.ok && m.error.code).toBe('internal');
  });

  it('treats a missing payload as {} for empty requests and applies defaults', async () => {
    const h = { 'app:usage:recent': async (req: unknown) => ({ entries: [], echo: req }) } as unknown as Partial<Handlers>;
    let seen: unknown;
    const h2 = { 'app:usage:recent': async (req: unknown) => ((seen = req), { entries: [] }) } as unknown as Partial<Handlers>;
    expect((await invokeValidated(contract, h, 'app:usage:recent', {})).ok).toBe(true);
    await invokeValidated(contract, h2, 'app:usage:recent', {});
    expect(seen).toEqual({ limit: 200, filters: {} });
  });

  it('validates event payloads', () => {
    expect(validateEvent(contract, 'app:quota:threshold', { nope: 1 }).ok).toBe(false);
    expect(validateEvent(contract, 'app:accounts:list', {}).ok).toBe(false);
  });
});
