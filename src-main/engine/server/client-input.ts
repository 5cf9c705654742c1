import { isAscii } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import type { Request } from 'express';
import type { WireError } from '../protocols';

/**
 * Limits on what a client may send. Translators walk bodies recursively, so nesting is bounded
 * before anything parses it; names that end up in logs, usage records and the live log are
 * bounded so one request cannot grow them by megabytes.
 */
export const MAX_JSON_DEPTH = 512;
export const MAX_MODEL_NAME_LENGTH = 256;

/**
 * True when the JSON text nests objects/arrays deeper than `max`. A byte scan that skips
 * strings, so it costs one pass and no recursion whatever the input. A string is skipped with
 * the native `indexOf` to its closing quote (a quote after an even run of backslashes): long
 * strings are most of a big body (a 1 MB context), and a JS loop over their bytes cost more
 * than the rest of the edge.
 */
export function jsonNestsDeeperThan(raw: Uint8Array, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x22) i = closingQuote(raw, i + 1);
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Index of the quote that ends the string starting at `from`, or the length when it never ends. */
function closingQuote(raw: Uint8Array, from: number): number {
  for (let q = raw.indexOf(0x22, from); q >= 0; q = raw.indexOf(0x22, q + 1)) {
    let b = q - 1;
    while (b >= from && raw[b] === 0x5c) b--;
    // Backslashes pair up from the left: an odd run escapes the quote.
    if ((q - 1 - b) % 2 === 0) return q;
  }
  return raw.length;
}

/** Parsed client body, or the 400 to send when it is not a JSON object we are willing to walk. */
export function parseJsonObjectBody(req: Request): { raw: Buffer; body: Record<string, unknown> } | WireError {
  return jsonObjectFromBytes(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
}

/** The one parse of a client's JSON body (chat, media, every format): bytes → object, or the 400 to send. */
export function jsonObjectFromBytes(raw: Buffer): { raw: Buffer; body: Record<string, unknown> } | WireError {
  if (raw.length === 0) return { status: 400, kind: 'invalid_request', message: 'The request body is empty; send a JSON object.' };
  if (jsonNestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    return { status: 400, kind: 'invalid_request', message: `The request body nests JSON deeper than ${MAX_JSON_DEPTH} levels.` };
  }
  let body: unknown;
  try {
    // An all-ASCII body (most are) decodes as latin1 to the same string at copy speed; UTF-8
    // decoding validates byte by byte (3 ms of a 1 MB body's 16 ms here).
    body = JSON.parse(isAscii(raw) ? raw.toString('latin1') : raw.toString('utf8'));
  } catch (err) {
    return { status: 400, kind: 'invalid_request', message: `The request body is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, kind: 'invalid_request', message: 'The request body must be a JSON object.' };
  }
  return { raw, body: body as Record<string, unknown> };
}

/** The model name a client asked for, trimmed and bounded, or the 400 to send. */
export function checkModelName(model: unknown): { model: string } | WireError {
  if (typeof model !== 'string' || !model.trim()) {
    return { status: 400, kind: 'invalid_request', message: 'The "model" field is required and must be a string.' };
  }
  const m = model.trim();
  if (m.length > MAX_MODEL_NAME_LENGTH) {
    return { status: 400, kind: 'invalid_request', message: `The model name is ${m.length} characters long; the limit is ${MAX_MODEL_NAME_LENGTH}.` };
  }
  return { model: m };
}

/**
 * A raw body reader whose limit follows the live config (hot reload of `body-limit-mb`):
 * the parser is rebuilt when the limit changes, and reused while it does not.
 */
export function liveRawBody(limitBytes: () => number): RequestHandler {
  let built: { limit: number; parser: RequestHandler } | undefined;
  return (req, res, next) => {
    const limit = limitBytes();
    if (!built || built.limit !== limit) built = { limit, parser: express.raw({ type: () => true, limit }) };
    return built.parser(req, res, next);
  };
}
