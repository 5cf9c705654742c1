import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingHttpHeaders } from 'node:http';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { rawClient, type RawResponse } from './support/raw-http';
import { CLIENT_KEY, MODEL, hostileConfig } from './support/routes';

/**
 * Issue 16: the hot model routes are served by a lean node:http path in front of Express. It
 * must answer exactly as the Express app does. A `#fragment` on the request target sends the
 * same request through Express (its URL parser drops the fragment, the lean path declines any
 * target it would not read the same way), so each case is sent both ways and compared byte
 * for byte: status, header lines in their order and case (but Date) and body. Both paths now
 * write POST answers with writeHead + end; json-response.test.ts holds those to Express's own
 * helpers. (D12, the live body limit on these routes, is
 * guarded by server-client-input's reload test, which now runs on the lean path.)
 */

const APP = 'https://app.example';
let upstream: CountingUpstream;
let sy: RunningEngine;
let http: ReturnType<typeof rawClient>;

beforeAll(async () => {
  upstream = await startCountingUpstream();
  sy = await startEngine(hostileConfig(upstream.url, [`allowed-origins: ["${APP}"]`, 'body-limit-mb: 1']));
  http = rawClient(sy.url, { maxSockets: 1 });
});

afterAll(async () => {
  http?.close();
  await sy?.close();
  await upstream?.close();
});

const key = { authorization: `Bearer ${CLIENT_KEY}` };
const json = { 'content-type': 'application/json' };
const chat = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });

interface Case {
  name: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const CASES: Case[] = [
  { name: 'no key', path: '/v1/chat/completions', headers: json, body: chat },
  { name: 'wrong key', path: '/v1/messages', headers: { ...json, 'x-api-key': 'sk-wrong' }, body: chat },
  { name: 'key in ?key=', path: '/v1beta/models/m:generateContent?key=sk-wrong', headers: json, body: '{}' },
  { name: 'no body', path: '/v1/chat/completions', headers: key },
  { name: 'empty body', path: '/v1/responses', headers: { ...key, ...json }, body: '' },
  { name: 'not JSON', path: '/v1/chat/completions', headers: { ...key, ...json }, body: '{"model":' },
  { name: 'not an object', path: '/api/chat', headers: { ...key, ...json }, body: '[1,2]' },
  { name: 'too deep', path: '/v1/messages', headers: { ...key, ...json }, body: '['.repeat(600) + ']'.repeat(600) },
  { name: 'over the body limit', path: '/v1/chat/completions', headers: { ...key, ...json }, body: Buffer.alloc(1024 * 1024 + 10, 0x20) },
  { name: 'model missing', path: '/v1/messages/count_tokens', headers: { ...key, ...json }, body: '{"messages":[]}' },
  { name: 'model too long', path: '/v1/chat/completions', headers: { ...key, ...json }, body: JSON.stringify({ model: 'x'.repeat(300), messages: [] }) },
  { name: 'bad percent-encoding in the path', path: '/v1beta/models/%E0%A4%A:streamGenerateContent', headers: { ...key, ...json }, body: '{}' },
  { name: 'foreign origin', path: '/v1/chat/completions', headers: { ...key, ...json, origin: 'https://evil.example' }, body: chat },
  { name: 'allowed origin, no key', path: '/v1/chat/completions', headers: { ...json, origin: APP }, body: chat },
  { name: 'invalid request for the format', path: '/v1/messages', headers: { ...key, ...json }, body: JSON.stringify({ model: MODEL, messages: 'nope' }) },
  { name: 'unknown model', path: '/v1/chat/completions', headers: { ...key, ...json }, body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }) },
  { name: 'served (passthrough)', path: '/v1/chat/completions', headers: { ...key, ...json }, body: chat },
  { name: 'served to an allowed origin (CORS headers)', path: '/v1/chat/completions', headers: { ...key, ...json, origin: APP }, body: chat },
  { name: 'served (translated)', path: '/v1/messages', headers: { ...key, ...json }, body: JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }) },
  { name: 'tokens counted', path: '/v1/messages/count_tokens', headers: { ...key, ...json }, body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }) },
];

/** Status, headers (parsed, and as sent: every line's name case and order), body; not the Date. */
function comparable(res: RawResponse): { status: number; headers: IncomingHttpHeaders; lines: string[]; text: string } {
  const { date: _date, ...headers } = res.headers;
  const lines: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() !== 'date') lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  return { status: res.status, headers, lines, text: res.text };
}

/** The target with a fragment: the same route and query, read by Express's URL parser. */
function viaExpress(path: string): string {
  return `${path}#express`;
}

describe('the lean path for hot routes answers byte for byte like Express', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const headers = { ...c.headers, 'x-request-id': 'same-id-both-ways' };
    const lean = await http.send('POST', c.path, { headers, body: c.body });
    const express = await http.send('POST', viaExpress(c.path), { headers, body: c.body });
    expect(comparable(lean)).toEqual(comparable(express));
  });

});
