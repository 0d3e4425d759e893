import type { ServerResponse } from 'node:http';
import { EventRing, type StreamEvent } from './event-ring.js';

export interface EventHubOptions {
  /** events kept for pages that reconnect (web.event_history) */
  history: number;
  /** a client whose unsent bytes pass this is cut off (web.client_buffer_kib × 1024) */
  clientBufferBytes: number;
  /** what `retry:` tells the browser: how long to wait before reconnecting, ms */
  retryMs: number;
  /** a comment line this often keeps proxies from closing an idle stream, ms */
  keepAliveMs: number;
  /** this run's tag in every id, so an id of a previous run is not taken for one of this run @defaultValue the clock in base 36 */
  run?: string;
}

/** What the hub has done, for telemetry. */
export interface EventHubCounts {
  clients: number;
  published: number;
  /** clients cut off because their buffer passed the bound */
  cut: number;
  /** reconnections caught up from the ring, and those told to refetch (`reset`) */
  replayed: number;
  reset: number;
}

/**
 * The SSE stream of /api/events: every event is numbered and kept in a bounded ring, written once as text and
 * sent to every client. Publishing never waits for a client: a client that does not read is cut off.
 */
export class EventHub {
  readonly run: string;
  private readonly ring: EventRing;
  /** each client and the unsent bytes past which it is cut: the bound, plus its catch-up (itself bounded by the ring) */
  private readonly clients = new Map<ServerResponse, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly n: EventHubCounts = { clients: 0, published: 0, cut: 0, replayed: 0, reset: 0 };
  private closed = false;

  constructor(private readonly o: EventHubOptions) {
    this.run = o.run ?? Date.now().toString(36);
    this.ring = new EventRing(o.history);
    this.timer = setInterval(() => this.broadcast(': keepalive\n\n'), o.keepAliveMs);
    this.timer.unref();
  }

  get counts(): Readonly<EventHubCounts> {
    return { ...this.n, clients: this.clients.size };
  }

  /** the id of the latest event (`RUN-SEQ`), or null before the first */
  get lastId(): string | null {
    return this.ring.lastSeq === 0 ? null : this.id(this.ring.lastSeq);
  }

  /** Numbers, keeps and sends one event; `data` is serialized once for every client. */
  publish(event: string, data: unknown): void {
    this.publishJson(event, JSON.stringify(data));
  }

  /** publish() of data already serialized (`json`: one JSON text, no newline). */
  publishJson(event: string, json: string): void {
    const e = this.ring.push(event, json);
    this.n.published++;
    if (this.clients.size > 0) this.broadcast(this.frame(e));
  }

  /**
   * A client's stream: headers, `retry:`, then what it missed. With a `lastEventId` of this run still in the ring:
   * every event after it. Otherwise (a fresh page, an id too old or of another run): the `stats` events held (the
   * chart's history) and a `reset` event, which tells the page to fetch /api/incidents; then live events.
   */
  attach(res: ServerResponse, lastEventId: string | null): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers responses unless told not to
      'X-Accel-Buffering': 'no',
    });
    if (this.closed) {
      res.end();
      return;
    }
    let text = `retry: ${this.o.retryMs}\n\n`;
    const missed = lastEventId === null ? null : this.missedSince(lastEventId);
    if (missed !== null) {
      this.n.replayed++;
      for (const e of missed) text += this.frame(e);
    } else {
      if (lastEventId !== null) this.n.reset++;
      for (const e of this.ring.ofType('stats')) text += this.frame(e);
      const reason = lastEventId === null ? 'new' : 'missed';
      text += this.frame({ seq: this.ring.lastSeq, event: 'reset', data: JSON.stringify({ reason, last_event_id: lastEventId }) });
    }
    this.clients.set(res, this.o.clientBufferBytes + text.length);
    // the response's close: the connection went (the request's close may come as soon as its body is read)
    const drop = (): void => { this.clients.delete(res); };
    res.on('close', drop);
    res.on('error', drop);
    this.write(res, text);
  }

  /** Ends every stream (the server is closing: an open stream would hold it). */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
  }

  private missedSince(lastEventId: string): StreamEvent[] | null {
    const m = /^([0-9a-z]+)-(\d+)$/.exec(lastEventId.trim());
    if (m === null || m[1] !== this.run) return null;
    return this.ring.after(Number(m[2]));
  }

  private id(seq: number): string {
    return `${this.run}-${seq}`;
  }

  private frame(e: StreamEvent): string {
    // seq 0: a reset before any event; an empty id clears the browser's, so its reconnect is a fresh page again
    return `id: ${e.seq > 0 ? this.id(e.seq) : ''}\nevent: ${e.event}\ndata: ${e.data}\n\n`;
  }

  private broadcast(text: string): void {
    for (const res of this.clients.keys()) this.write(res, text);
  }

  /** Writes without waiting; a client that lets its unsent bytes pass the bound is cut off, counted. */
  private write(res: ServerResponse, text: string): void {
    res.write(text);
    if (res.writableLength > (this.clients.get(res) ?? 0)) {
      this.clients.delete(res);
      this.n.cut++;
      res.destroy();
    }
  }
}
