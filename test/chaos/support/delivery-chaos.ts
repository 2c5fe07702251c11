import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { between, sleep } from './chaos';

interface Captured {
  seq: number;
  path: string;
  body: string;
  signature: string;
  eventId: string;
  eventType: string;
}

/**
 * A bad network between the systems' webhook relays and quote-to-cash's receivers: it takes each
 * signed delivery (the systems deliver to it, as to quote-to-cash's public URL), answers the
 * sender at once, and passes the very same bytes and signature on to quote-to-cash two or three
 * times, each copy after its own random delay, so copies arrive duplicated, late and out of order.
 * Like a sender it keeps trying a copy until quote-to-cash takes it (2xx) — through kills — so
 * every event reaches it at least once; `replayAll` sends every event once more, late.
 */
export class DeliveryChaos {
  private server?: Server;
  url = '';
  readonly captured: Captured[] = [];
  /** Per event id, quote-to-cash's answers (`processed`, `duplicate`). */
  readonly outcomes = new Map<string, string[]>();
  /** Copies refused with a status that is not worth a retry (must stay empty). */
  readonly refused: string[] = [];
  copiesSent = 0;
  delayed = 0;
  /** Copies that reached quote-to-cash before a copy of an event captured earlier. */
  reordered = 0;
  private highestArrived = -1;
  private inFlight = 0;

  /**
   * `wanted` picks the events meant for this quote-to-cash (the systems also emit events of other
   * scenarios' deals, which another quote-to-cash handles); the rest are taken and dropped.
   */
  constructor(
    private readonly target: () => string,
    private readonly random: () => number,
    private readonly wanted: (event: { type: string; subject: string }) => boolean = () => true,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.take(req).then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
        () => res.writeHead(400).end(),
      );
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  private async take(req: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const c: Captured = {
      seq: this.captured.length,
      path: req.url ?? '',
      body: Buffer.concat(chunks).toString('utf8'),
      signature: String(req.headers['revgate-signature'] ?? ''),
      eventId: String(req.headers['revgate-event-id'] ?? ''),
      eventType: String(req.headers['revgate-event-type'] ?? ''),
    };
    const envelope = JSON.parse(c.body) as { type: string; subject: string };
    if (!this.wanted(envelope)) return;
    this.captured.push(c);
    const copies = between(this.random, 2, 3);
    for (let i = 0; i < copies; i++) {
      const delay = between(this.random, 0, 4000);
      if (delay > 1000) this.delayed += 1;
      this.send(c, delay);
    }
  }

  private send(c: Captured, delayMs: number): void {
    this.inFlight += 1;
    void sleep(delayMs)
      .then(() => this.forward(c))
      .finally(() => {
        this.inFlight -= 1;
      });
  }

  private async forward(c: Captured): Promise<void> {
    for (let attempt = 0; attempt < 240; attempt++) {
      try {
        const res = await fetch(`${this.target()}${c.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'revgate-signature': c.signature },
          body: c.body,
        });
        const answer = (await res.json().catch(() => ({}))) as { outcome?: string };
        if (res.ok) {
          this.copiesSent += 1;
          if (c.seq < this.highestArrived) this.reordered += 1;
          this.highestArrived = Math.max(this.highestArrived, c.seq);
          const list = this.outcomes.get(c.eventId) ?? [];
          list.push(answer.outcome ?? '?');
          this.outcomes.set(c.eventId, list);
          return;
        }
        // 409 (the same event in progress) and 5xx are worth another try; other 4xx are not.
        if (res.status !== 409 && res.status < 500) {
          this.refused.push(
            `${c.eventType} ${c.eventId}: HTTP ${res.status} ${JSON.stringify(answer)}`,
          );
          return;
        }
      } catch {
        // quote-to-cash is down (killed): try again
      }
      await sleep(250);
    }
    this.refused.push(`${c.eventType} ${c.eventId}: never taken`);
  }

  /** Every event captured so far once more, latest first. */
  replayAll(): void {
    for (const c of [...this.captured].reverse()) this.send(c, between(this.random, 0, 1500));
  }

  /** Waits until no copy is waiting or being sent. */
  async idle(seconds = 120): Promise<void> {
    const until = Date.now() + seconds * 1000;
    while (this.inFlight > 0 && Date.now() < until) await sleep(100);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
