import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface ManagementAuthSettings {
  /** Plaintext or bcrypt hash ($2a$/$2b$/$2y$); empty = management disabled. */
  secretKey: string;
  allowRemote: boolean;
  /** MANAGEMENT_PASSWORD: enables management and implies remote access. */
  envPassword?: string;
}

const MAX_FAILURES = 5;
const BAN_MS = 30 * 60_000;
/** Loopback is never banned for long (it is the owner's own machine), but it is slowed down. */
const LOCAL_LOCK_MS = 60_000;
/** bcrypt compares run a few at a time: each costs ~100 ms of CPU, whoever asks. */
const MAX_CONCURRENT_HASHES = 2;
const MAX_QUEUED_HASHES = 8;

function isLocal(ip: string | undefined): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

export function presentedManagementKey(req: Request): string | undefined {
  const x = req.headers['x-management-key'];
  if (typeof x === 'string' && x) return x.trim();
  const auth = req.headers.authorization;
  if (auth) return auth.replace(/^Bearer\s+/i, '').trim();
  return undefined;
}

function fail(res: Response, status: number, error: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ error, ...extra });
}

/** A small counting semaphore for bcrypt work; `undefined` when the queue is full. */
function hashLimiter(max: number, maxQueued: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T | undefined> => {
    if (running >= max) {
      if (waiting.length >= maxQueued) return undefined;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * The management key gate (CLIProxyAPI-compatible): key as `Authorization: Bearer` or
 * `X-Management-Key`, local clients only unless `allow-remote`. Failed attempts are counted per
 * address, loopback included: 5 failures ban a remote address for 30 minutes and lock a local one
 * for a minute (429). A bcrypt-hashed key is compared asynchronously, one compare per address at
 * a time and a few in total, so guessing cannot stall the event loop for everyone else.
 */
export function managementAuth(settings: () => ManagementAuthSettings, now: () => number = Date.now): RequestHandler {
  const failures = new Map<string, { count: number; bannedUntil?: number }>();
  const comparing = new Set<string>();
  const limit = hashLimiter(MAX_CONCURRENT_HASHES, MAX_QUEUED_HASHES);
  // bcrypt is slow on purpose; remember verified keys so each request does not pay it again.
  const verified = new Set<string>();
  return async (req: Request, res: Response, next: NextFunction) => {
    const s = settings();
    const envPw = s.envPassword ?? '';
    if (!s.secretKey && !envPw) return fail(res, 404, 'management API is disabled: set remote-management.secret-key');
    const ip = req.socket.remoteAddress ?? 'unknown';
    const local = isLocal(ip);
    if (!local && !s.allowRemote && !envPw) return fail(res, 403, 'remote management disabled');
    const record = failures.get(ip);
    if (record?.bannedUntil && record.bannedUntil > now()) {
      const secs = Math.ceil((record.bannedUntil - now()) / 1000);
      if (local) {
        res.setHeader('Retry-After', String(secs));
        return fail(res, 429, `too many failed attempts; try again in ${secs} second(s)`);
      }
      return fail(res, 403, `too many failed attempts; banned for ${Math.ceil(secs / 60)} more minute(s)`);
    }
    const key = presentedManagementKey(req);
    if (!key) return fail(res, 401, 'missing management key');
    let ok = false;
    if (envPw && sameSecret(key, envPw)) ok = true;
    else if (s.secretKey) {
      if (/^\$2[aby]\$/.test(s.secretKey)) {
        const memo = createHash('sha256').update(`${s.secretKey}\u0000${key}`).digest('hex');
        if (verified.has(memo)) ok = true;
        else {
          if (comparing.has(ip)) {
            res.setHeader('Retry-After', '1');
            return fail(res, 429, 'a key check from this address is still running; retry shortly');
          }
          comparing.add(ip);
          let result: boolean | undefined;
          try {
            result = await limit(() => bcrypt.compare(key, s.secretKey));
          } finally {
            comparing.delete(ip);
          }
          if (result === undefined) {
            res.setHeader('Retry-After', '1');
            return fail(res, 429, 'too many key checks in progress; retry shortly');
          }
          ok = result;
          if (ok) verified.add(memo);
        }
      } else ok = sameSecret(key, s.secretKey);
    }
    if (!ok) {
      const r = failures.get(ip) ?? { count: 0 };
      r.count++;
      if (r.count >= MAX_FAILURES) {
        r.bannedUntil = now() + (local ? LOCAL_LOCK_MS : BAN_MS);
        r.count = 0;
      }
      failures.set(ip, r);
      return fail(res, 401, 'invalid management key');
    }
    failures.delete(ip);
    res.setHeader('X-CPA-VERSION', 'switchyard');
    next();
  };
}
