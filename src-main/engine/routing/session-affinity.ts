import { createHash } from 'node:crypto';
import { header, isRecord, parseDuration, type HeaderBag } from '../upstream/failure/headers';

/**
 * Sticky sessions (`routing.session-affinity`, PROTOCOLS.md §6.2): the requests of one
 * conversation keep going to the account that served it, so the upstream's prompt cache keeps
 * hitting (a cache lives per account). When that account is unavailable the request fails over as
 * usual and the session moves. Bounded: oldest bindings are dropped past `maxEntries`.
 */
export class SessionAffinity {
  private readonly map = new Map<string, { accountId: string; expires: number }>();

  constructor(
    private ttlMs = 3_600_000,
    private readonly maxEntries = 10_000,
  ) {}

  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs;
  }

  get(session: string, now: number): string | undefined {
    const hit = this.map.get(session);
    if (!hit) return undefined;
    if (hit.expires <= now) {
      this.map.delete(session);
      return undefined;
    }
    return hit.accountId;
  }

  bind(session: string, accountId: string, now: number): void {
    this.map.delete(session); // re-insert: Map order doubles as least-recently-used order
    this.map.set(session, { accountId, expires: now + this.ttlMs });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  size(): number {
    return this.map.size;
  }
}

/** `session-affinity-ttl`: "1h", "30m", or seconds; default one hour. */
export function affinityTtlMs(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v * 1000;
  if (typeof v === 'string') {
    const ms = parseDuration(v);
    if (ms !== undefined && ms > 0) return ms;
  }
  return 3_600_000;
}

const SESSION_HEADERS = ['x-claude-code-session-id', 'session_id', 'session-id', 'x-session-id', 'conversation_id', 'conversation-id', 'thread-id'];

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** Claude Code puts its session in `metadata.user_id`: a JSON string, or `user_…_session_<uuid>`. */
function claudeSession(body: Record<string, unknown>): string | undefined {
  const meta = body.metadata;
  if (!isRecord(meta) || typeof meta.user_id !== 'string') return undefined;
  const uid = meta.user_id;
  const m = /_session_([0-9a-f-]{8,})/i.exec(uid);
  if (m) return m[1];
  if (uid.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(uid);
      if (isRecord(parsed) && typeof parsed.session_id === 'string' && parsed.session_id) return parsed.session_id;
    } catch {
      /* not JSON after all */
    }
  }
  return undefined;
}

/**
 * A stable id for the conversation a request belongs to: client session headers, then body ids
 * (`prompt_cache_key`, Claude `metadata.user_id`, Responses `conversation`), then a hash of the
 * first message (every turn of a chat resends it). Undefined when there is nothing to go on.
 */
export function sessionKeyOf(headers: HeaderBag | undefined, body: unknown): string | undefined {
  for (const name of SESSION_HEADERS) {
    const v = header(headers, name)?.trim();
    if (v) return `h:${v}`;
  }
  if (!isRecord(body)) return undefined;
  if (typeof body.prompt_cache_key === 'string' && body.prompt_cache_key) return `k:${body.prompt_cache_key}`;
  const claude = claudeSession(body);
  if (claude) return `c:${claude}`;
  const conv = body.conversation;
  if (typeof conv === 'string' && conv) return `v:${conv}`;
  if (isRecord(conv) && typeof conv.id === 'string') return `v:${conv.id}`;
  for (const field of ['messages', 'contents', 'input']) {
    const list = body[field];
    if (Array.isArray(list) && list.length > 1) {
      // Only multi-turn requests: a one-shot prompt has no later turn to keep together.
      const system = body.system ?? body.systemInstruction ?? body.instructions ?? '';
      return `m:${hash(JSON.stringify([system, list[0]]))}`;
    }
  }
  return undefined;
}
