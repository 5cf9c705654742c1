import type { Response } from 'express';
import type { ServerResponse } from 'node:http';
import type { EdgeRequest } from './request-target';

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
/** Headers SDKs send cross-origin; a preflight asking for others gets them echoed if they look like header names. */
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, x-api-key, x-goog-api-key, anthropic-version, anthropic-beta, x-request-id';
const EXPOSED_HEADERS = 'x-request-id, retry-after';
const HEADER_LIST = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;

/**
 * CORS for the origins listed in `allowed-origins` (the host/origin guard has already refused
 * every other foreign origin). Sets the response headers for an allowed origin and answers its
 * preflight (OPTIONS) itself. Returns true when the request has been answered.
 */
export function answerCors(req: EdgeRequest, res: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  appendVary(res, 'Origin');
  const preflightMethod = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || typeof preflightMethod !== 'string') return false;
  const asked = req.headers['access-control-request-headers'];
  const headers = typeof asked === 'string' && asked.length <= 1024 && HEADER_LIST.test(asked.trim()) ? asked.trim() : DEFAULT_ALLOWED_HEADERS;
  res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
  res.setHeader('Access-Control-Allow-Headers', headers);
  res.setHeader('Access-Control-Max-Age', '600');
  // Only OPTIONS gets here, and OPTIONS always goes through Express.
  (res as Response).status(204).end();
  return true;
}

/** Express's `res.append(name, value)`: an existing value becomes a list with the new one after it. */
function appendVary(res: ServerResponse, value: string): void {
  const prev = res.getHeader('Vary');
  if (!prev) res.setHeader('Vary', value);
  else res.setHeader('Vary', Array.isArray(prev) ? [...(prev as string[]), value] : [String(prev), value]);
}
