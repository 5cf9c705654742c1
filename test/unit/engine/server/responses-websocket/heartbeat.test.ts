import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import express from 'express';
import { WebSocket } from 'ws';
import { ResponsesWebSocketService } from '../../../../../src-main/engine/server/responses-websocket';
import type { PipelineDeps } from '../../../../../src-main/engine/pipeline/generate';
import { protocols } from '../../../../../src-main/engine/protocols';
import { silentLogger } from '../../../../../src-main/engine/log/logger';

/** A server with only the WebSocket route, and a heartbeat the test ticks by hand. */
async function serve() {
  const ticks: Array<() => void> = [];
  const service = new ResponsesWebSocketService({
    pipeline: () => ({}) as PipelineDeps,
    protocol: protocols['openai-responses'],
    bodyLimitBytes: () => 1024 * 1024,
    logger: silentLogger,
    heartbeat: (tick) => {
      ticks.push(tick);
      return () => ticks.splice(ticks.indexOf(tick), 1);
    },
  });
  const app = express();
  app.use(service.router);
  const server = http.createServer(app);
  service.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/v1/responses`;
  return { service, server, url, tick: () => ticks.forEach((t) => t()), ticks };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function connect(url: string, autoPong: boolean): Promise<{ ws: WebSocket; closed: Promise<number>; pinged: () => number }> {
  const ws = new WebSocket(url, { autoPong });
  let pings = 0;
  ws.on('ping', () => pings++);
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  return { ws, closed, pinged: () => pings };
}

function roundTrip(ws: WebSocket): Promise<void> {
  // A ping of our own: its pong comes back after the server handled everything sent before it.
  return new Promise((r) => {
    ws.once('pong', () => r());
    ws.ping();
  });
}

describe('Responses WebSocket heartbeat', () => {
  it('keeps a peer that answers pings', async () => {
    const s = await serve();
    cleanup.push(() => new Promise((r) => s.server.close(() => r())));
    const c = await connect(s.url, true);
    for (let i = 0; i < 3; i++) {
      s.tick();
      await roundTrip(c.ws);
      await roundTrip(c.ws);
    }
    expect(c.pinged()).toBe(3);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    expect(s.service.connections).toBe(1);
    c.ws.close();
    await c.closed;
  });

  it('cuts off a peer that stopped answering, and forgets its session', async () => {
    const s = await serve();
    cleanup.push(() => new Promise((r) => s.server.close(() => r())));
    const c = await connect(s.url, false);
    s.tick();
    await roundTrip(c.ws);
    expect(c.pinged()).toBe(1);
    s.tick();
    expect(await c.closed).toBe(1006);
    expect(s.ticks).toHaveLength(0);
  });
});
