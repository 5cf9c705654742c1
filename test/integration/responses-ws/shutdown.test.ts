import { expect, it } from 'vitest';
import { startEngine } from '../harness';
import { codexHeaders, ResponsesSocket } from './socket-client';

/** Stopping the server says goodbye on open sockets (1001 Going Away) instead of leaving them to the grace timer. */
it('closes open Responses sockets with 1001 when the server stops', async () => {
  const sy = await startEngine('api-keys: [sk-k]\n');
  try {
    const socket = await ResponsesSocket.open(`${sy.url.replace('http:', 'ws:')}/v1/responses`, codexHeaders('sk-k'));
    await sy.engine.stop(60_000);
    expect(await socket.next()).toBeUndefined();
    expect(socket.closed?.code).toBe(1001);
  } finally {
    await sy.close();
  }
});
