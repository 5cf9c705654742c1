import express from 'express';
import type { Engine } from '../../engine';
import { managementKeyCheck } from '../../management';
import { managementAccountStatus } from '../../../../src-shared/domain/accounts';
import type { RequestRecord } from '../../pipeline/types';
import type { EngineMetrics, MetricsDeps } from './metrics';
import { readiness } from './readiness';
import { startTracing, type RequestTracer } from './tracing';

/** Requests kept while prom-client loads (it takes milliseconds; the bound is for safety). */
const MAX_EARLY = 10_000;
/** When an idle server loads prom-client when metrics are on (nothing reads them before). */
const PRELOAD_MS = 2000;

/**
 * The team server's operational endpoints on an engine: `/readyz` (public, for probes),
 * `/metrics` (Prometheus text, behind the management key, also at /v0/management/metrics),
 * and OTLP traces when configured. Returns a function that releases them.
 */
export function mountOps(engine: Engine): () => Promise<void> {
  const deps: MetricsDeps = {
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
  };
  // prom-client is loaded lazily (~35 ms of start-up otherwise, and never when metrics are off).
  // Requests finished while it loads wait in `early`, so none is missed.
  let metrics: EngineMetrics | undefined;
  let loading: Promise<EngineMetrics> | undefined;
  let early: RequestRecord[] = [];
  const loadMetrics = (): Promise<EngineMetrics> =>
    (loading ??= import('./metrics').then(({ EngineMetrics }) => {
      metrics = new EngineMetrics(deps);
      for (const r of early) metrics.observe(r);
      early = [];
      return metrics;
    }));
  const warn = (err: Error) => engine.logger.error('metrics unavailable', { error: err.message });
  // Off the start-up path: loaded after the server is up, or earlier by the first request or scrape.
  const preload = engine.config.current.metrics.enable ? setTimeout(() => loadMetrics().catch(warn), PRELOAD_MS) : undefined;
  preload?.unref();
  const onRequest = (r: RequestRecord) => {
    // Per-request work only when someone can read it (metrics.enable: false turns the route off too).
    if (engine.config.current.metrics.enable) {
      if (metrics) metrics.observe(r);
      else {
        if (early.length < MAX_EARLY) early.push(r);
        loadMetrics().catch(warn);
      }
    }
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
    const m = await loadMetrics();
    res.setHeader('Content-Type', m.contentType);
    res.send(await m.text());
  };
  const keyed = express.Router();
  keyed.use(managementKeyCheck(engine.config));
  keyed.get('/', serveMetrics);
  engine.addPublicRoutes('/metrics', keyed);
  const mgmt = express.Router();
  mgmt.get('/metrics', serveMetrics);
  engine.addManagementRoutes(mgmt);

  return async () => {
    clearTimeout(preload);
    engine.events.off('request', onRequest);
    await tracer?.close();
  };
}
