import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers on one route. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SeenRequest {
  method: string;
  /** Path with query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A provider usage endpoint on 127.0.0.1 (port 0). Routes are `METHOD path` (path includes the
 * query); unknown routes answer 404 like Google's backends do for a method a host lacks.
 */
export class FakeQuotaServer {
  readonly requests: SeenRequest[] = [];
  private readonly routes = new Map<string, FakeAnswer | ((req: SeenRequest) => FakeAnswer)>();

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<FakeQuotaServer> {
    let fake: FakeQuotaServer | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => fake!.answer(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    fake = new FakeQuotaServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  route(key: string, answer: FakeAnswer | ((req: SeenRequest) => FakeAnswer)): this {
    this.routes.set(key, answer);
    return this;
  }

  hits(key: string): number {
    const [method, path] = key.split(' ');
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
    this.requests.push(seen);
    const route = this.routes.get(`${seen.method} ${seen.path}`);
    const a = typeof route === 'function' ? route(seen) : route;
    if (!a) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 404, message: 'not found', status: 'NOT_FOUND' } }));
      return;
    }
    const payload = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
    res.end(payload);
  }
}
