import net from 'node:net';

/**
 * A hand-driven TCP client: write what you want when you want, and learn what the server sent
 * and when it closed. `closed` settles when the server ends the connection (or after `capMs`,
 * reporting `closedByServer: false`) — a test bound, not a timing assertion.
 */
export interface RawSocket {
  socket: net.Socket;
  received(): string;
  closed: Promise<{ closedByServer: boolean; data: string }>;
}

export function openRawSocket(url: string, capMs = 5_000): Promise<RawSocket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port), u.hostname);
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    const closed = new Promise<{ closedByServer: boolean; data: string }>((res) => {
      const cap = setTimeout(() => {
        socket.destroy();
        res({ closedByServer: false, data });
      }, capMs);
      socket.on('close', () => {
        clearTimeout(cap);
        res({ closedByServer: true, data });
      });
      socket.on('error', () => undefined);
    });
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}
