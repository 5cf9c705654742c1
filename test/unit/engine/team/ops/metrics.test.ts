import client from 'prom-client';
import { expect, it } from 'vitest';
import { EngineMetrics } from '../../../../../src-main/engine/team/ops/metrics';
import type { RequestRecord } from '../../../../../src-main/engine/pipeline/types';

// The engine sums requests itself and hands prom-client the sums at scrape time. The oracle is
// prom-client observing every request the plain way: the text must hold the very same lines.

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

function plainPromClient() {
  const registry = new client.Registry();
  const registers = [registry];
  const labelNames = ['route', 'provider', 'model'] as const;
  const requests = new client.Counter({ name: 'switchyard_requests_total', help: 'Client requests by inbound route, provider, model and HTTP status', labelNames: [...labelNames, 'status'], registers });
  const latency = new client.Histogram({ name: 'switchyard_request_duration_seconds', help: 'Whole request duration', labelNames, buckets: BUCKETS, registers });
  const ttft = new client.Histogram({ name: 'switchyard_time_to_first_token_seconds', help: 'Time from request to the first output byte sent to the client (streams)', labelNames, buckets: BUCKETS, registers });
  const errors = new client.Counter({ name: 'switchyard_upstream_errors_total', help: 'Failed requests by provider and error class', labelNames: ['provider', 'kind'], registers });
  return {
    registry,
    observe(r: RequestRecord) {
      const labels = { route: r.inboundFormat, provider: r.provider ?? 'none', model: r.requestedModel.slice(0, 80) };
      requests.inc({ ...labels, status: String(r.status) });
      latency.observe(labels, r.latencyMs / 1000);
      if (r.ttftMs !== undefined) ttft.observe(labels, r.ttftMs / 1000);
      if (r.errorClass) errors.inc({ provider: r.provider ?? 'none', kind: r.errorClass });
    },
  };
}

/** Each family's lines as a sorted set (Prometheus does not order series within a family). */
function families(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const block of text.trim().split('\n\n')) {
    const lines = block.split('\n');
    out.set(lines[0]!, lines.slice(1).sort());
  }
  return out;
}

it('exposes the same request, latency, first-token and error lines as prom-client observing each request', async () => {
  const ours = new EngineMetrics({ accountStates: () => [], quotaLeft: () => [] });
  const plain = plainPromClient();
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 3000; i++) {
    const failed = rnd() < 0.2;
    const r = {
      requestId: `r${i}`,
      time: 0,
      inboundFormat: i % 2 ? 'openai-chat' : 'claude-messages',
      operation: 'generate',
      provider: rnd() < 0.1 ? undefined : rnd() < 0.5 ? 'codex' : 'claude',
      // A quote, a backslash and an over-long name: escaped and clipped the same way.
      requestedModel: ['gpt-5', 'a"b\\c', 'm'.repeat(100)][Math.floor(rnd() * 3)]!,
      stream: false,
      status: failed ? 429 : 200,
      errorClass: failed ? 'rate_limit' : undefined,
      latencyMs: rnd() * 150_000,
      ttftMs: rnd() < 0.5 ? rnd() * 3000 : undefined,
      attempts: 1,
    } as RequestRecord;
    ours.observe(r);
    plain.observe(r);
  }
  const got = families(await ours.text());
  const want = families(await plain.registry.metrics());
  for (const [head, lines] of want) expect(got.get(head), head).toEqual(lines);
  expect([...want.values()].flat().length).toBeGreaterThan(500);
});

it('shows a family with no requests yet as its help and type lines only', async () => {
  const ours = new EngineMetrics({ accountStates: () => [], quotaLeft: () => [] });
  const text = await ours.text();
  expect(text).toContain('# TYPE switchyard_request_duration_seconds histogram\n');
  expect(text).not.toMatch(/^switchyard_request_duration_seconds_bucket/m);
});
