import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

export type WsProxy = {
  /** What POSTGRES_WS_PROXY takes: host:port/path, no scheme (the driver adds ws://). */
  address: string;
  connections(): number;
  close(): Promise<void>;
};

/**
 * Lets the production Postgres driver (@vercel/postgres = Neon over WebSocket) reach a plain local
 * PostgreSQL: each WebSocket is piped to one TCP connection. The target is fixed by the caller and the
 * driver's `?address=` is ignored, so this is never an open relay.
 */
export async function startPgWsProxy(target: { host: string; port: number }): Promise<WsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let opened = 0;
  server.on('connection', (socket) => {
    opened++;
    const tcp = connect(target);
    tcp.setNoDelay(true); // else Nagle + delayed ACK add ~40 ms to small round trips
    const pending: Buffer[] = [];
    tcp.on('connect', () => {
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on('message', (data: Buffer) => (tcp.connecting ? pending.push(data) : tcp.write(data)));
    tcp.on('data', (data) => socket.send(data));
    socket.on('close', () => tcp.end());
    socket.on('error', () => tcp.destroy());
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.terminate());
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}/v2`,
    connections: () => opened,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
