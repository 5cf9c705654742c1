import type { Account, ProviderId } from '../providers/provider';
import type { QuotaWindow } from './window';
import type { UpstreamFailure } from '../upstream/failure/types';

/** Response headers as they arrive from undici, express or a plain object. */
export type HeaderBag =
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null; forEach(cb: (value: string, key: string) => void): void };

/** Lower-cased single-valued view of any header bag. */
export function headerMap(h: HeaderBag): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof (h as { get?: unknown }).get === 'function' && typeof (h as { forEach?: unknown }).forEach === 'function') {
    (h as { forEach(cb: (value: string, key: string) => void): void }).forEach((v, k) => out.set(k.toLowerCase(), v));
    return out;
  }
  for (const [k, v] of Object.entries(h as Record<string, string | string[] | undefined>)) {
    if (v === undefined) continue;
    out.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v);
  }
  return out;
}

/** What a poller needs from an HTTP answer (undici's Response fits). */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface QuotaFetchInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** Outbound HTTP for pollers; host-overrides, proxy and budget accounting are applied by the caller. */
export type QuotaFetch = (url: string, init: QuotaFetchInit) => Promise<ResponseLike>;

/** Non-window facts a poll may learn on the way (plan name, tier, quota project). */
export interface QuotaAccountInfo {
  plan?: string;
  tier?: string;
  projectId?: string;
}

/** A request to the model API, or a call to the provider's own account API (quota, profile). */
export type CredentialUse = 'request' | 'account-api';

export interface QuotaPollContext {
  account: Account;
  /** OAuth access token (or API key). Sent only to the provider's own origins. */
  credential: string;
  fetch: QuotaFetch;
  /** Epoch ms. */
  now: number;
  /** What earlier polls learned (lets a poller skip the profile call once the plan is known). */
  known: QuotaAccountInfo;
  note(info: QuotaAccountInfo): void;
}

/** One provider's quota knowledge (`providers/<id>/quota.ts` exports one). */
export interface QuotaSource {
  provider: ProviderId;
  /** Passive: windows from the headers of a proxied response. */
  parseHeaders?(headers: HeaderBag, now: number): QuotaWindow[];
  /** Windows implied by a 429's quota facts (limit reached until a reset time); never re-parses the body. */
  parse429?(failure: UpstreamFailure): QuotaWindow[];
  /** Active: read the provider's usage endpoint(s). Must never send a model request. */
  poll?(ctx: QuotaPollContext): Promise<QuotaWindow[]>;
  /**
   * Which secret `poll` gets as `ctx.credential`: the request credential (default) or the one the
   * provider's account API takes (the auth flow's `accountApiCredentialOf`; Copilot: the GitHub token).
   */
  credential?: CredentialUse;
  /** No provider quota API: the meter is our own count of requests (see usage/ LocalUsageCounter). */
  local?: { label: string; windowSeconds: number; requestLimit?: number };
}

/** A poll that failed with an HTTP status (429 → back off; 401/403 → credentials problem). */
export class QuotaPollError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** From `retry-after`, in ms, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'QuotaPollError';
  }
}

/** `retry-after` as ms: delta seconds or an HTTP date. */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** Read a JSON body or throw a QuotaPollError carrying the status (and retry-after on 429). */
export async function readJson(res: ResponseLike, what: string, now: number): Promise<unknown> {
  const text = await res.text();
  if (res.status < 200 || res.status >= 300) {
    const snippet = text.slice(0, 200).replace(/\s+/g, ' ');
    throw new QuotaPollError(res.status, `${what}: HTTP ${res.status} ${snippet}`, retryAfterMs(res.headers.get('retry-after'), now));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new QuotaPollError(502, `${what}: answer is not JSON`);
  }
}

/** Narrow unknown JSON to an object record. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
