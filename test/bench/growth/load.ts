// Load helpers for the growth benches: autocannon against the engine, and RSS/CPU of its process.
import autocannon from 'autocannon';
import { cpuMs, rssMb } from './util';

export const chat = (model: string, content: string, stream = false) => JSON.stringify({ model, stream, messages: [{ role: 'user', content }] });

export interface LoadResult {
  rps: number;
  p50: number;
  errors: number;
  /** Engine CPU per completed request, µs. */
  cpuUsPerReq: number;
  /** Highest engine RSS sampled during the run, MB. */
  peakRssMb: number;
}

/** `connections` clients for `seconds` against `url` with `body`; samples the engine `pid` every 100 ms. */
export async function load(url: string, body: string, connections: number, seconds: number, pid: number): Promise<LoadResult> {
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  const cpu0 = cpuMs(pid);
  const r = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
    body,
  });
  clearInterval(sampler);
  const done = r.requests.total || 1;
  return { rps: r.requests.average, p50: r.latency.p50, errors: r.errors + r.non2xx, cpuUsPerReq: ((cpuMs(pid) - cpu0) * 1000) / done, peakRssMb: Math.max(peak, rssMb(pid)) };
}
