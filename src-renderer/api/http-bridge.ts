import type { Result } from '../../src-shared/contract';
import type { Bridge } from './bridge';
import { SseParser } from './sse-parser';

export interface HttpBridgeOptions {
  /** Origin + prefix, e.g. `http://127.0.0.1:8317/v0/management/ui`. */
  baseUrl: string;
  managementKey: string;
  fetch?: typeof fetch;
  /** Reconnect delay after the event stream drops (grows to 10 s). */
  retryMs?: number;
  /** Called when the stream connects or drops, so the UI can show "reconnecting…" and refetch. */
  onConnection?: (state: 'open' | 'closed' | 'unauthorized') => void;
}

type Listener = (payload: unknown) => void;

/**
 * A non-envelope answer from the management layer (`{"error": "..."}`), with the server's own
 * message kept: "management API is disabled: set remote-management.secret-key" must reach the
 * user, not "HTTP 404".
 */
export function httpFailure(status: number, body: unknown): { code: string; message: string } {
  const said = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : null;
  if (status === 401) return { code: 'unauthorized', message: said ?? 'the management key was not accepted' };
  if (status === 404 && said && /disabled/i.test(said)) return { code: 'management-disabled', message: said };
  if (status === 403) return { code: 'forbidden', message: said ?? `HTTP 403` };
  return { code: 'http', message: said ? `HTTP ${status}: ${said}` : `HTTP ${status}` };
}

/**
 * The contract over HTTP. Calls are POSTs; events come from one shared SSE stream opened on the
 * first subscription and closed after the last one, reconnecting with backoff.
 */
export function httpBridge(opts: HttpBridgeOptions): Bridge & { close(): void } {
  const doFetch = opts.fetch ?? fetch.bind(globalThis);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${opts.managementKey}` };
  const listeners = new Map<string, Set<Listener>>();
  let abort: AbortController | null = null;
  let retry = opts.retryMs ?? 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closing: ReturnType<typeof setTimeout> | undefined;

  const dispatch = (event: string, data: string) => {
    const set = listeners.get(event);
    if (!set?.size) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const cb of [...set]) cb(payload);
  };

  const connect = async () => {
    const ac = new AbortController();
    abort = ac;
    try {
      const res = await doFetch(`${opts.baseUrl}/events`, { headers: { authorization: headers.authorization, accept: 'text/event-stream' }, signal: ac.signal });
      if (res.status === 401 || res.status === 403) {
        opts.onConnection?.('unauthorized');
        return; // a wrong key does not get better by retrying
      }
      if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
      opts.onConnection?.('open');
      retry = opts.retryMs ?? 500;
      const parser = new SseParser(dispatch);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // network error or abort; fall through to reconnect unless closed
    }
    if (abort !== ac) return; // closed or replaced
    opts.onConnection?.('closed');
    abort = null;
    timer = setTimeout(() => {
      timer = undefined;
      if (hasListeners()) void connect();
    }, retry);
    retry = Math.min(retry * 2, 10_000);
  };

  const hasListeners = () => [...listeners.values()].some((s) => s.size > 0);

  const close = () => {
    clearTimeout(timer);
    clearTimeout(closing);
    closing = undefined;
    const a = abort;
    abort = null;
    a?.abort();
  };

  return {
    kind: 'http',
    async invoke(channel, payload): Promise<Result<unknown>> {
      let res: Response;
      try {
        res = await doFetch(`${opts.baseUrl}/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers,
          body: payload === undefined ? undefined : JSON.stringify(payload),
        });
      } catch (e) {
        return { ok: false, error: { code: 'network', message: e instanceof Error ? e.message : String(e) } };
      }
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        // not JSON: described by its status below
      }
      if (body && typeof body === 'object' && 'ok' in body) return body as Result<unknown>;
      return { ok: false, error: httpFailure(res.status, body) };
    },
    subscribe(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      clearTimeout(closing);
      closing = undefined;
      if (!abort && !timer) void connect();
      return () => {
        set.delete(cb);
        if (hasListeners() || closing) return;
        // Closed a turn later, not at once: listeners that leave and come straight back (a React
        // effect re-run on reconnect) keep the one stream. Closing at once made every reconnect
        // open a fresh stream, whose "open" re-ran the effect again: an endless reconnect loop
        // that filled the browser's connection pool until calls queued forever.
        closing = setTimeout(() => {
          closing = undefined;
          if (hasListeners()) return;
          close();
          timer = undefined;
        }, 0);
      };
    },
    close,
  };
}
