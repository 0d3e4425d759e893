import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricPoint } from '../../src/metrics/metric-point.js';

export interface RecordedRequest { method: string; url: string; auth: string | undefined; type: string | undefined; body: string; clientPort: number }

/**
 * A local HTTP server standing for InfluxDB (1.x's /write, 2.x's /api/v2/write): it records each request and
 * answers 204, as InfluxDB does on a write, or the status and body the test sets.
 */
export class RecordingHttpServer {
  readonly received: RecordedRequest[] = [];
  /** the answer to every request, or a function of the request (an InfluxDB query's `q` says which statement) */
  answer: { status: number; body?: string } | ((r: RecordedRequest) => { status: number; body?: string }) = { status: 204 };

  private constructor(private readonly server: http.Server, readonly port: number) {}

  static async start(): Promise<RecordingHttpServer> {
    let self: RecordingHttpServer | null = null;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        const r = self!;
        const got: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body, clientPort: req.socket.remotePort ?? 0 };
        r.received.push(got);
        const a = typeof r.answer === 'function' ? r.answer(got) : r.answer;
        res.statusCode = a.status;
        res.end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new RecordingHttpServer(server, (server.address() as AddressInfo).port);
    return self;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Two points whose line protocol needs escaping (a space in a tag value) and a float field. */
export const SAMPLE_POINTS: MetricPoint[] = [
  { measurement: 'arp_packets_total', tags: { op: 'request', router: 'r 1' }, value: 674, timeMicros: 1_793_610_010_000_000 },
  { measurement: 'incidents_open', tags: { case: 'alias-netmask' }, value: 1.5, timeMicros: 1_793_610_894_934_788 },
];
