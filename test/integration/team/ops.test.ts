import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type RunningEngine } from '../harness';
import { startOpenAIChatUpstream, type FakeUpstream } from '../../fakes/upstreams/openai-chat-upstream';

/** An OTLP/HTTP receiver on loopback: keeps every span it is sent (JSON encoding). */
async function otlpReceiver(): Promise<{ url: string; spans: Array<Record<string, unknown>>; server: Server }> {
  const spans: Array<Record<string, unknown>> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
      };
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, server };
}

describe('team server operations: probes, metrics, traces, IP allowlist', () => {
  let upstream: FakeUpstream;
  let engine: RunningEngine;
  let otlp: Awaited<ReturnType<typeof otlpReceiver>>;

  beforeAll(async () => {
    let n = 0;
    upstream = await startOpenAIChatUpstream({
      // The first request fails once (so one request has two attempts), the rest succeed.
      script: () => (n++ === 0 ? { status: 500 } : { text: ['ok'], usage: { input: 3, output: 1 } }),
    });
    otlp = await otlpReceiver();
    engine = await startEngine(`
remote-management: { secret-key: mgmt-secret }
tracing: { otlp-endpoint: ${otlp.url} }
openai-compatibility:
  - name: pool
    base-url: ${upstream.url}/v1
    api-key-entries: [{ api-key: k1 }, { api-key: k2 }]
    models: [{ name: up-model, alias: m }]
`);
  });
  afterAll(async () => {
    await engine?.close();
    await upstream?.close();
    otlp?.server.close();
  });

  const chat = () =>
    fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('/healthz and /readyz answer without a key; ready means config, store and a usable account', async () => {
    expect((await fetch(`${engine.url}/healthz`)).status).toBe(200);
    const r = await fetch(`${engine.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ready: true, checks: { config: true, store: 'none', accounts: 2 } });
  });

  it('/metrics needs the management key and parses as Prometheus text with request, latency, TTFT, error and account families', async () => {
    expect((await chat()).status).toBe(200);
    expect((await chat()).status).toBe(200);
    expect((await fetch(`${engine.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${engine.url}/metrics`, { headers: { authorization: 'Bearer mgmt-secret' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await res.text());
    const byName = new Map(families.map((f) => [f.name, f]));
    const requests = byName.get('switchyard_requests_total')!;
    expect(requests.type).toBe('COUNTER');
    const ok = requests.metrics.find((m) => m.labels?.status === '200' && m.labels?.model === 'm');
    expect(Number(ok?.value)).toBe(2);
    expect(byName.get('switchyard_request_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(byName.get('switchyard_time_to_first_token_seconds')?.type).toBe('HISTOGRAM');
    expect(byName.get('switchyard_upstream_errors_total')?.type).toBe('COUNTER');
    const accounts = byName.get('switchyard_accounts')!;
    expect(accounts.metrics.reduce((s, m) => s + Number(m.value), 0)).toBe(2);
    // The same text behind the management prefix.
    expect((await fetch(`${engine.url}/v0/management/metrics`, { headers: { authorization: 'Bearer mgmt-secret' } })).status).toBe(200);
  });

  it('sends one span per client request with one child span per upstream attempt to the OTLP receiver', async () => {
    const deadline = Date.now() + 10_000;
    while (otlp.spans.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const servers = otlp.spans.filter((s) => s.kind === 2); // SPAN_KIND_SERVER
    const clients = otlp.spans.filter((s) => s.kind === 3); // SPAN_KIND_CLIENT
    expect(servers.length).toBeGreaterThanOrEqual(2);
    for (const s of servers) {
      const children = clients.filter((c) => c.parentSpanId === s.spanId);
      expect(children.length).toBeGreaterThanOrEqual(1);
      for (const c of children) expect(c.traceId).toBe(s.traceId);
    }
    // The first request met a 500 then succeeded on the other key: two attempts under one parent.
    expect(servers.some((s) => clients.filter((c) => c.parentSpanId === s.spanId).length === 2)).toBe(true);
  });

  it('allowed-ips refuses other addresses in the caller format, and believes X-Forwarded-For only from trusted proxies', async () => {
    const text = (await import('node:fs/promises')).readFile;
    const base = await text(engine.configFile, 'utf8');
    await engine.writeConfig(`${base}\nallowed-ips: [10.1.0.0/16]\ntrusted-proxies: [127.0.0.1]\n`);
    await engine.runtime.engine.config.reload();
    const deadline = Date.now() + 5_000;
    let denied: Response | undefined;
    while (Date.now() < deadline) {
      denied = await chat();
      if (denied.status === 403) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(denied?.status).toBe(403);
    expect(((await denied!.json()) as { error: { message: string } }).error.message).toMatch(/not allowed \(allowed-ips\)/);
    // Through a trusted proxy (loopback here) the forwarded client address decides.
    const viaProxy = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.2.3' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(viaProxy.status).toBe(200);
    const claude = await fetch(`${engine.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.1' },
      body: '{}',
    });
    expect(claude.status).toBe(403);
    expect(((await claude.json()) as { type: string; error: { type: string } }).error.type).toBe('permission_error');
  });
});
