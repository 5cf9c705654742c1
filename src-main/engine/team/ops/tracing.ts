import type { RequestRecord } from '../../pipeline/types';

export interface RequestTracer {
  record(r: RequestRecord): void;
  close(): Promise<void>;
}

interface AttemptView {
  provider?: string;
  accountId?: string;
  status?: number;
  outcome?: string;
  reason?: string;
}

function attemptsOf(r: RequestRecord): AttemptView[] {
  const tried = (r as { tried?: unknown }).tried;
  if (Array.isArray(tried) && tried.length > 0) return tried as AttemptView[];
  return Array.from({ length: Math.max(1, r.attempts) }, (_, i) =>
    i === r.attempts - 1 ? { provider: r.provider, accountId: r.accountId, status: r.status, outcome: r.status < 400 ? 'ok' : 'failed' } : { outcome: 'failed' },
  );
}

/**
 * OpenTelemetry traces over OTLP/HTTP, off unless `tracing.otlp-endpoint` is set. One span per
 * client request and one child span per upstream attempt, built from the finished request record
 * (with its real start and end times), so the request path pays nothing for tracing. The SDK is
 * loaded only when tracing is on: a plain server never pays its start-up cost either.
 */
export async function startTracing(endpoint: string, serviceName: string): Promise<RequestTracer> {
  const { tracing, resources, api } = await import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const exporter = new OTLPTraceExporter({ url: endpoint });
  const provider = new tracing.BasicTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new tracing.BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
  });
  const tracer = provider.getTracer('switchyard');
  return {
    record(r) {
      const start = r.time;
      const end = r.time + r.latencyMs;
      const span = tracer.startSpan(`${r.inboundFormat} ${r.operation}`, {
        kind: api.SpanKind.SERVER,
        startTime: start,
        attributes: {
          'switchyard.request_id': r.requestId,
          'switchyard.model': r.requestedModel.slice(0, 200),
          'switchyard.provider': r.provider ?? '',
          'switchyard.stream': r.stream,
          'http.response.status_code': r.status,
        },
      });
      if (r.status >= 400) span.setStatus({ code: api.SpanStatusCode.ERROR, message: r.errorMessage?.slice(0, 200) });
      const parent = api.trace.setSpan(api.context.active(), span);
      for (const [i, a] of attemptsOf(r).entries()) {
        const child = tracer.startSpan(
          `upstream attempt ${i + 1}`,
          {
            kind: api.SpanKind.CLIENT,
            startTime: start,
            attributes: {
              'switchyard.provider': a.provider ?? '',
              'switchyard.account': a.accountId ?? '',
              'switchyard.outcome': a.outcome ?? '',
              ...(a.status !== undefined ? { 'http.response.status_code': a.status } : {}),
              ...(a.reason ? { 'switchyard.reason': a.reason.slice(0, 200) } : {}),
            },
          },
          parent,
        );
        if (a.outcome === 'failed') child.setStatus({ code: api.SpanStatusCode.ERROR });
        child.end(end);
      }
      span.end(end);
    },
    close: () => provider.shutdown(),
  };
}
