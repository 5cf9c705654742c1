import http from 'node:http';

/**
 * Raw HTTP for hostile requests: the path goes on the wire exactly as given (fetch and URL
 * would normalise dot segments, case of escapes and `//`). Keep-alive, so thousands of
 * requests cost no new connections.
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Header names and values as sent: their case and order. */
  rawHeaders: string[];
  text: string;
  json(): unknown;
}

export function rawClient(baseUrl: string, opts: { maxSockets?: number } = {}) {
  const u = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8 });
  const send = (method: string, path: string, o: { headers?: http.OutgoingHttpHeaders; body?: string | Buffer } = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, method, path, agent, headers: { host: u.host, ...o.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, text, json: () => JSON.parse(text) as unknown });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(o.body);
    });
  return { send, close: () => agent.destroy() };
}
