import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can "restart" the database as its clients see it: every
 * open connection is reset and new ones are refused (ECONNREFUSED) for a while, then accepted again
 * on the same port. The test shares the machine's PostgreSQL with other suites, so it must not
 * restart the server itself; a client cannot tell this from a restart, except that the server sends
 * no 57P01 "terminating connection" before the sockets go.
 */
export class DatabaseProxy {
  private server?: Server;
  private readonly links = new Set<[Socket, Socket]>();
  private port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly host = '127.0.0.1',
  ) {}

  /** A database URL of the target through this proxy. */
  url(databaseUrl: string): string {
    const u = new URL(databaseUrl);
    u.hostname = this.host;
    u.port = String(this.port);
    return u.toString();
  }

  async start(): Promise<this> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      const link: [Socket, Socket] = [client, upstream];
      this.links.add(link);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.links.delete(link);
      };
      for (const s of [client, upstream]) {
        s.on('error', close);
        s.on('close', close);
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  /** Resets every connection and stops accepting new ones. */
  async cut(): Promise<number> {
    const server = this.server;
    this.server = undefined;
    const closed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    const n = this.links.size;
    for (const [client, upstream] of this.links) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.links.clear();
    await closed;
    return n;
  }

  /** Accepts connections again, on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.start();
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
