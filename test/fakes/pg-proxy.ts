// A TCP relay in front of the real PostgreSQL that can freeze: while frozen, bytes stay where
// they are (both sides paused) and new connections are accepted but not answered. To the app it
// is a database that hangs, which is what a stuck server or a dropped network looks like.
import { once } from 'node:events';
import net from 'node:net';

export interface PgProxy {
  /** `url` with its host and port replaced by the relay's. */
  urlFor(url: string): string;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startPgProxy(target = { host: '127.0.0.1', port: 5432 }): Promise<PgProxy> {
  let frozen = false;
  const held: { to: net.Socket; data: Buffer }[] = [];
  const waiting: (() => void)[] = [];
  const sockets = new Set<net.Socket>();

  /** Relay `from` → `to`; while frozen, chunks wait in order. */
  const relay = (from: net.Socket, to: net.Socket) => {
    from.on('data', (data: Buffer) => {
      if (frozen) held.push({ to, data });
      else to.write(data);
    });
  };

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    const connect = () => {
      const upstream = net.connect(target.port, target.host);
      sockets.add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', end).on('close', end);
      client.on('close', end);
      relay(client, upstream);
      relay(upstream, client);
    };
    if (frozen) {
      // Accepted, never answered: the client's bytes wait until the thaw.
      const early: Buffer[] = [];
      const keep = (d: Buffer) => early.push(d);
      client.on('data', keep);
      waiting.push(() => {
        client.off('data', keep);
        connect();
        const upstream = [...sockets].at(-1)!;
        for (const d of early) upstream.write(d);
      });
    } else connect();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;

  return {
    urlFor(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const { to, data } of held.splice(0)) if (!to.destroyed) to.write(data);
      for (const connect of waiting.splice(0)) connect();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
