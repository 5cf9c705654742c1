import express from 'express';
import type { Engine } from '../../engine';
import { managementKeyCheck } from '../../management';
import { managementAccountStatus } from '../../../../src-shared/domain/accounts';
import { EngineMetrics } from './metrics';
import { readiness } from './readiness';
import { startTracing, type RequestTracer } from './tracing';

/**
 * The team server's operational endpoints on an engine: `/readyz` (public, for probes),
 * `/metrics` (Prometheus text, behind the management key, also at /v0/management/metrics),
 * and OTLP traces when configured. Returns a function that releases them.
 */
export function mountOps(engine: Engine): () => Promise<void> {
  const metrics = new EngineMetrics({
    accountStates: () => engine.accounts().map((a) => ({ provider: a.provider, state: managementAccountStatus(engine.accountStatus(a)) })),
    quotaLeft: function* () {
      for (const a of engine.accounts()) {
        const q = engine.quota.book.peek(a.id);
        for (const w of q?.windows ?? []) {
          if (w.kind === 'credits') continue; // a balance, not a window
          yield { accountId: a.id, provider: a.provider, window: w.id, leftPercent: 100 - w.usedPercent };
        }
      }
    },
  });
  const onRequest = (r: Parameters<EngineMetrics['observe']>[0]) => {
    // Per-request work only when someone can read it (metrics.enable: false turns the route off too).
    if (engine.config.current.metrics.enable) metrics.observe(r);
    tracer?.record(r);
  };
  engine.events.on('request', onRequest);

  let tracer: RequestTracer | undefined;
  const tracing = engine.config.current.tracing;
  if (tracing['otlp-endpoint']) {
    startTracing(tracing['otlp-endpoint'], tracing['service-name']).then(
      (t) => (tracer = t),
      (err: Error) => engine.logger.error('tracing unavailable', { error: err.message }),
    );
  }

  const ready = express.Router();
  ready.get('/', async (_req, res) => {
    const r = await readiness({
      configLoaded: () => true,
      storePing: engine.team ? () => engine.team!.ping() : undefined,
      usableAccounts: () => engine.accounts().filter((a) => engine.accountStatus(a) === 'active').length,
    });
    res.status(r.ready ? 200 : 503).json(r);
  });
  engine.addPublicRoutes('/readyz', ready);

  const serveMetrics: express.RequestHandler = async (_req, res) => {
    if (!engine.config.current.metrics.enable) {
      res.status(404).json({ error: 'metrics are disabled (metrics.enable: false)' });
      return;
    }
    res.setHeader('Content-Type', metrics.contentType);
    res.send(await metrics.text());
  };
  const keyed = express.Router();
  keyed.use(managementKeyCheck(engine.config));
  keyed.get('/', serveMetrics);
  engine.addPublicRoutes('/metrics', keyed);
  const mgmt = express.Router();
  mgmt.get('/metrics', serveMetrics);
  engine.addManagementRoutes(mgmt);

  return async () => {
    engine.events.off('request', onRequest);
    await tracer?.close();
  };
}
