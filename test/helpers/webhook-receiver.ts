import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A status, or a status with headers (a redirect's Location). */
export type Answer = number | { status: number; headers: Record<string, string> };

export interface ReceivedPost {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP server (node:http, loopback) standing for the NOC's webhook: it records every request it gets and
 * answers what `answer` says (200 unless told; a promise holds the answer back: a slow or hung receiver).
 */
export class WebhookReceiver {
  readonly received: ReceivedPost[] = [];
  answer: (post: ReceivedPost) => Answer | Promise<Answer> = () => 200;

  private constructor(private readonly server: Server, readonly port: number) {}

  /** Listens on 127.0.0.1:PORT (0: any free port). */
  static async start(port = 0): Promise<WebhookReceiver> {
    let self: WebhookReceiver | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const post = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        self!.received.push(post);
        void Promise.resolve(self!.answer(post)).then((a) => {
          const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
          res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end('ok\n');
        });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    self = new WebhookReceiver(server, (server.address() as AddressInfo).port);
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/arpwarden`;
  }

  /** The bodies received, parsed. */
  bodies<T = unknown>(): T[] {
    return this.received.map((p) => JSON.parse(p.body) as T);
  }

  /** Stops listening and cuts every connection (a receiver that goes away). */
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
