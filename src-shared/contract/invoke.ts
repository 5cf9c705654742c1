import { z } from 'zod';
import { ContractError, type Result } from './envelope';

/** Structural view of a contract: what `invokeValidated` needs, independent of the literal. */
type AnyContract = Record<string, { request: z.ZodType; response: z.ZodType } | { payload: z.ZodType }>;
type AnyHandlers<C> = { [K in keyof C]?: (req: never, ctx: never) => Promise<unknown> };

function issuesText(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
}

/**
 * Transport-neutral call: looks the channel up, validates the payload, runs the handler, and
 * validates (and strips) the response, so a field not in the schema — a token, say — never
 * leaves. Never throws; every failure comes back as `{ok:false,error}`.
 */
export async function invokeValidated<C extends AnyContract, Ctx>(
  contract: C,
  handlers: AnyHandlers<C>,
  channel: string,
  payload: unknown,
  ctx?: Ctx,
): Promise<Result<unknown>> {
  const def = Object.prototype.hasOwnProperty.call(contract, channel) ? contract[channel] : undefined;
  if (!def || !('request' in def)) {
    return { ok: false, error: { code: 'unknown-channel', message: `unknown channel: ${channel}` } };
  }
  const handler = handlers[channel as keyof C] as ((req: unknown, ctx: unknown) => Promise<unknown>) | undefined;
  if (!handler) return { ok: false, error: { code: 'unknown-channel', message: `no handler for ${channel}` } };
  const parsed = def.request.safeParse(payload);
  if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: issuesText(parsed.error) } };
  let out: unknown;
  try {
    out = await handler(parsed.data, ctx ?? { transport: 'test' });
  } catch (e) {
    if (e instanceof ContractError) return { ok: false, error: { code: e.code, message: e.message } };
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: 'internal', message } };
  }
  const checked = def.response.safeParse(out);
  if (!checked.success) {
    return { ok: false, error: { code: 'internal', message: `handler for ${channel} returned an invalid response: ${issuesText(checked.error)}` } };
  }
  return { ok: true, data: checked.data };
}

/** Validate an event payload before it is emitted (same stripping as responses). */
export function validateEvent<C extends AnyContract>(contract: C, event: string, payload: unknown): Result<unknown> {
  const def = Object.prototype.hasOwnProperty.call(contract, event) ? contract[event] : undefined;
  if (!def || !('payload' in def)) return { ok: false, error: { code: 'unknown-channel', message: `unknown event: ${event}` } };
  const r = def.payload.safeParse(payload);
  return r.success ? { ok: true, data: r.data } : { ok: false, error: { code: 'bad-request', message: issuesText(r.error) } };
}
