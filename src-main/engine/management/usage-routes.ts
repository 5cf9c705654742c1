import express, { type Request, type Router } from 'express';
import { UsageImportError, type UsageRecorder } from '../usage';

/** Parse `start`/`end` (epoch seconds or ms, or ISO dates) into an epoch-ms range. */
export function rangeFromQuery(req: Request, now = Date.now()): { from: number; to: number } | string {
  const parse = (v: unknown, fallback: number): number | undefined => {
    if (v === undefined || v === '') return fallback;
    const s = String(v);
    if (/^\d+$/.test(s)) {
      const n = Number(s);
      return n < 1e12 ? n * 1000 : n;
    }
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : t;
  };
  const from = parse(req.query.start ?? req.query.from, 0);
  const to = parse(req.query.end ?? req.query.to, now + 1);
  if (from === undefined || to === undefined) return 'start/end must be epoch seconds, epoch ms or ISO dates';
  if (from >= to) return 'start must be before end';
  return { from, to };
}

/**
 * Usage in CLIProxyAPI's aggregate shape, but from the persisted history: it survives
 * restarts. Plus export/import of the raw records.
 */
export function usageRoutes(usage: () => UsageRecorder | undefined): Router {
  const r = express.Router();
  r.get('/usage', (req, res) => {
    const u = usage();
    if (!u) return void res.status(503).json({ error: 'usage history is off (usage-sqlite.enable: false)' });
    const range = rangeFromQuery(req);
    if (typeof range === 'string') return void res.status(400).json({ error: range });
    u.flush();
    const usageSnapshot = u.cliproxyAggregate(range);
    res.json({ usage: usageSnapshot, failed_requests: usageSnapshot.failure_count });
  });
  r.get('/usage/export', (req, res) => {
    const u = usage();
    if (!u) return void res.status(503).json({ error: 'usage history is off' });
    const range = rangeFromQuery(req);
    if (typeof range === 'string') return void res.status(400).json({ error: range });
    u.flush();
    res.json(u.exportJson(range));
  });
  r.post('/usage/import', express.json({ limit: '200mb' }), (req, res) => {
    const u = usage();
    if (!u) return void res.status(503).json({ error: 'usage history is off' });
    try {
      res.json(u.importJson(req.body));
    } catch (err) {
      if (err instanceof UsageImportError) return void res.status(400).json({ error: err.message });
      throw err;
    }
  });
  return r;
}
