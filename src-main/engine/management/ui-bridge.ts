import express, { Router, type Request, type Response } from 'express';
import { httpStatusFor, isEventChannel, type EventChannel } from '../../../src-shared/contract';
import type { Control } from '../control';
import { sseNamed } from '../sse';

export interface UiBridgeOptions {
  /** Comment line sent this often so proxies and idle timers keep the event stream open. */
  keepaliveMs?: number;
  /** JSON body limit for contract calls. */
  bodyLimit?: string;
}

/**
 * The HTTP transport of the UI contract, mounted at `/v0/management` behind the management key:
 *   POST /ui/<channel>  JSON body = payload → the result envelope (400 bad payload, 404 unknown channel)
 *   GET  /ui/events     SSE: `event: <contract event>` / `data: <payload JSON>`; `?only=a,b` filters
 * The same `Control` the Electron IPC transport serves.
 */
export function uiBridgeRouter(control: Pick<Control, 'invoke' | 'events'>, opts: UiBridgeOptions = {}): Router {
  const router = Router();
  const json = express.json({ limit: opts.bodyLimit ?? '1mb', strict: false, type: () => true });

  router.get('/ui/events', (req: Request, res: Response) => {
    const only = typeof req.query.only === 'string' ? req.query.only.split(',').filter(isEventChannel) : [];
    const wanted = only.length ? new Set<EventChannel>(only) : null;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // First frame tells the client the stream is live (it then fetches snapshots without a race).
    res.write(': connected\n\n');
    const unsubscribe = control.events.subscribe((e) => {
      if (wanted && !wanted.has(e.event)) return;
      res.write(sseNamed(e.event, e.payload));
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), opts.keepaliveMs ?? 15_000);
    const close = () => {
      clearInterval(keepalive);
      unsubscribe();
    };
    req.on('close', close);
    res.on('error', close);
  });

  router.post('/ui/:channel', json, async (req: Request, res: Response) => {
    const channel = String(req.params.channel);
    // No body = no payload (channels whose request is `{}` accept a missing payload).
    const payload: unknown = req.body;
    const result = await control.invoke(channel, payload, { transport: 'http' });
    res.status(result.ok ? 200 : httpStatusFor(result.error.code)).json(result);
  });

  router.all('/ui/:channel', (_req, res) => {
    res.status(405).set('Allow', 'POST').json({ ok: false, error: { code: 'method-not-allowed', message: 'use POST' } });
  });

  // Malformed JSON bodies: answer in the envelope, not with express's HTML error page.
  router.use('/ui', (err: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.parse.failed') {
      return void res.status(400).json({ ok: false, error: { code: 'bad-request', message: 'body is not valid JSON' } });
    }
    if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.too.large') {
      return void res.status(413).json({ ok: false, error: { code: 'too-large', message: 'body too large' } });
    }
    next(err);
  });

  return router;
}
