import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocols } from '../../src-main/engine/protocols';
import type { ProtocolId, WireError } from '../../src-main/engine/protocols/protocol';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { rawClient } from './support/raw-http';
import { CLIENT_KEY, hostileConfig } from './support/routes';

/**
 * D19: error words must say what happened. OpenAI SDK users read `insufficient_quota` as a
 * billing problem, so a host/origin refusal must not carry it; a bad gateway or a timeout is not
 * an `internal_server_error`. Claude and Gemini words follow their documented error types
 * (Anthropic: permission_error 403, api_error 500/502, timeout_error 504, overloaded_error 529;
 * Google: PERMISSION_DENIED, UNAVAILABLE, DEADLINE_EXCEEDED).
 */

// Ollama's errors are a bare `{"error": "message"}`: no type words to get wrong, so it is not listed.
const expected: Array<[WireError, Partial<Record<ProtocolId, [string, string | number | null]>>]> = [
  [{ status: 403, message: 'refused', kind: 'permission' }, { 'openai-chat': ['permission_error', 'permission_denied'], 'openai-responses': ['permission_error', 'permission_denied'], 'claude-messages': ['permission_error', null], gemini: ['PERMISSION_DENIED', 403] }],
  [{ status: 502, message: 'bad gateway' }, { 'openai-chat': ['server_error', 'upstream_error'], 'openai-responses': ['server_error', 'upstream_error'], 'claude-messages': ['api_error', null], gemini: ['UNAVAILABLE', 502] }],
  [{ status: 504, message: 'too slow' }, { 'openai-chat': ['timeout_error', 'timeout'], 'openai-responses': ['timeout_error', 'timeout'], 'claude-messages': ['timeout_error', null], gemini: ['DEADLINE_EXCEEDED', 504] }],
  [{ status: 529, message: 'busy' }, { 'openai-chat': ['server_error', 'service_unavailable'], 'openai-responses': ['server_error', 'service_unavailable'], 'claude-messages': ['overloaded_error', null], gemini: ['UNAVAILABLE', 529] }],
];

/** [type word, code] as each format writes them. */
function words(id: ProtocolId, body: unknown): [string, string | number | null] {
  const b = body as { error: { type?: string; code?: string | number | null; status?: string } };
  if (id === 'gemini') return [b.error.status!, b.error.code!];
  if (id === 'claude-messages') return [b.error.type!, null];
  return [b.error.type!, b.error.code ?? null];
}

describe('D19: error type and code words per wire format', () => {
  for (const [err, byFormat] of expected) {
    for (const id of Object.keys(byFormat) as ProtocolId[]) {
      it(`${err.status} in ${id} → ${byFormat[id]!.join(' / ')}`, () => {
        expect(words(id, protocols[id].encodeError(err))).toEqual(byFormat[id]);
      });
    }
  }

  it('no OpenAI-format error of ours is insufficient_quota unless a quota ran out', () => {
    for (const status of [400, 401, 403, 404, 408, 413, 500, 502, 503, 504]) {
      const body = protocols['openai-chat'].encodeError({ status, message: 'x' }) as { error: { code: string | null } };
      expect(body.error.code, String(status)).not.toBe('insufficient_quota');
      if (status !== 500) expect(body.error.code, String(status)).not.toBe('internal_server_error');
    }
  });
});

describe('D19 at the edge: host and origin refusals', () => {
  let upstream: CountingUpstream;
  let sy: RunningEngine;
  let http: ReturnType<typeof rawClient>;
  beforeAll(async () => {
    upstream = await startCountingUpstream();
    sy = await startEngine(hostileConfig(upstream.url));
    http = rawClient(sy.url);
  });
  afterAll(async () => {
    http?.close();
    await sy?.close();
    await upstream?.close();
  });

  it('a DNS-rebinding Host is refused 403 permission_denied in OpenAI format, nothing reaches an upstream', async () => {
    const res = await http.send('POST', '/v1/chat/completions', {
      headers: { host: 'evil.example:8317', authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: '{"model":"m","messages":[{"role":"user","content":"hi"}]}',
    });
    expect(res.status).toBe(403);
    expect((res.json() as { error: { type: string; code: string } }).error).toMatchObject({ type: 'permission_error', code: 'permission_denied' });
    expect(upstream.hits).toBe(0);
  });

  it('a foreign Origin is refused in the route’s own format (Claude, Gemini)', async () => {
    const claude = await http.send('POST', '/v1/messages', { headers: { origin: 'https://evil.example', authorization: `Bearer ${CLIENT_KEY}` }, body: '{}' });
    expect(claude.status).toBe(403);
    expect(claude.json()).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    const gem = await http.send('GET', '/v1beta/models', { headers: { origin: 'null', 'x-goog-api-key': CLIENT_KEY } });
    expect(gem.status).toBe(403);
    expect(gem.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(upstream.hits).toBe(0);
  });
});
