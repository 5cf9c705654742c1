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

/**
 * The management key gate (CLIProxyAPI-compatible): key as `Authorization: Bearer` or
 * `X-Management-Key`, local clients only unless `allow-remote`, and 5 failures from one remote
 * address ban it for 30 minutes.
 */
export function managementAuth(settings: () => ManagementAuthSettings, now: () => number = Date.now): RequestHandler {
  const failures = new Map<string, { count: number; bannedUntil?: number }>();
  // bcrypt is slow on purpose; remember verified keys so each request does not pay it again.
  const verified = new Set<string>();
  return async (req: Request, res: Response, next: NextFunction) => {
    const s = settings();
    const envPw = s.envPassword ?? '';
    if (!s.secretKey && !envPw) return fail(res, 404, 'management API is disabled: set remote-management.secret-key');
    const ip = req.socket.remoteAddress;
    const local = isLocal(ip);
    if (!local && !s.allowRemote && !envPw) return fail(res, 403, 'remote management disabled');
    const record = ip ? failures.get(ip) : undefined;
    if (!local && record?.bannedUntil && record.bannedUntil > now()) {
      const mins = Math.ceil((record.bannedUntil - now()) / 60_000);
      return fail(res, 403, `too many failed attempts; banned for ${mins} more minute(s)`);
    }
    const key = presentedManagementKey(req);
    if (!key) return fail(res, 401, 'missing management key');
    let ok = false;
    if (envPw && sameSecret(key, envPw)) ok = true;
    else if (s.secretKey) {
      if (/^\$2[aby]\$/.test(s.secretKey)) {
        const memo = createHash('sha256').update(`${s.secretKey}\u0000${key}`).digest('hex');
        ok = verified.has(memo) || (await bcrypt.compare(key, s.secretKey));
        if (ok) verified.add(memo);
      } else ok = sameSecret(key, s.secretKey);
    }
    if (!ok) {
      if (!local && ip) {
        const r = failures.get(ip) ?? { count: 0 };
        r.count++;
        if (r.count >= MAX_FAILURES) {
          r.bannedUntil = now() + BAN_MS;
          r.count = 0;
        }
        failures.set(ip, r);
      }
      return fail(res, 401, 'invalid management key');
    }
    if (ip) failures.delete(ip);
    res.setHeader('X-CPA-VERSION', 'switchyard');
    next();
  };
}
