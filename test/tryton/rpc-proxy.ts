/**
 * A loopback HTTP proxy between the ERP app and a real Tryton, for the faults a connector must
 * survive: the answer to a call that did run is lost (the call reaches Tryton, Tryton commits, the
 * caller's connection is cut before the answer), answers come slowly, or Tryton is down. Everything
 * else passes through untouched.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';

export interface RpcProxy {
  /** http://127.0.0.1:<port>: give it to the app as ERP_TRYTON_URL. */
  readonly url: string;
  /** The JSON-RPC methods called through the proxy, in order. */
  readonly calls: string[];
  /** The next call of `method` runs in Tryton, and its answer never reaches the caller. */
  loseNextAnswer(method: string): void;
  /** Holds every answer this long (ms). */
  delayMs: number;
  /** Cuts every connection at once, as a Tryton that is down. */
  down: boolean;
  close(): Promise<void>;
}

async function bodyOf(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function methodOf(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { method?: unknown };
    return typeof parsed.method === 'string' ? parsed.method : '';
  } catch {
    return '';
  }
}

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const upstream = new URL(target);
  const lose = new Map<string, number>();
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (proxy.down) {
        req.socket.destroy();
        return;
      }
      const body = await bodyOf(req);
      const method = methodOf(body);
      calls.push(method);
      const answer = await new Promise<{
        status: number;
        headers: IncomingMessage['headers'];
        body: Buffer;
      }>((resolve, reject) => {
        const forward = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            path: req.url,
            method: req.method,
            headers: { ...req.headers, host: upstream.host },
          },
          (response) => {
            bodyOf(response).then(
              (data) =>
                resolve({
                  status: response.statusCode ?? 502,
                  headers: response.headers,
                  body: data,
                }),
              reject,
            );
          },
        );
        forward.on('error', reject);
        forward.end(body);
      });
      const pending = lose.get(method) ?? 0;
      if (pending > 0) {
        lose.set(method, pending - 1);
        req.socket.destroy();
        return;
      }
      if (proxy.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, proxy.delayMs));
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch(() => {
      req.socket.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const proxy: RpcProxy = {
    url: `http://127.0.0.1:${port}`,
    calls,
    loseNextAnswer: (method) => lose.set(method, (lose.get(method) ?? 0) + 1),
    delayMs: 0,
    down: false,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return proxy;
}
