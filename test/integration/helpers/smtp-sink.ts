import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { waitFor } from './ports.js';

/**
 * A real SMTP server (smtp-server) on a loopback port that keeps what it accepts, parsed with
 * mailparser. `hold()` makes it keep the DATA phase open (the message is read, the final reply not
 * given) until `release()`. A message counts as delivered only when the server's 250 went to a
 * client still connected: a transaction whose client left before the reply is cancelled, as
 * RFC 5321 (3.8) has it, so nothing the client could not know of was kept.
 */
export class SmtpSink {
  readonly delivered: ParsedMail[] = [];
  /** the envelope's recipients (RCPT TO) of each delivered message, index for index */
  readonly recipients: string[][] = [];
  /** DATA phases begun (messages read), delivered or not */
  dataPhases = 0;
  /** held DATA phases whose client has left (seen by the server: the socket closed) */
  heldClientsGone = 0;
  private server: SMTPServer | null = null;
  private holding = false;
  private held: (() => void)[] = [];
  private closedSessions = new Set<string>();
  private sessionClosed = new Map<string, () => void>();

  /**
   * A relay that queues the message as soon as it has read it, before it replies (Postfix and Exim do;
   * RFC 1047): it is delivered even if the client leaves before the reply, or never gets it.
   */
  queueFirst = false;
  /** wait this long before the final reply to DATA, ms (a slow relay) */
  replyDelayMs = 0;

  /** answer RCPT TO with this error (4xx: try later, 5xx: never), or accept when null */
  rejectRcpt: { code: number; message: string } | null = null;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      onClose: (session: SMTPServerSession) => {
        this.closedSessions.add(session.id);
        this.sessionClosed.get(session.id)?.();
      },
      onRcptTo: (_address, _session, callback) => {
        const r = this.rejectRcpt;
        if (r === null) return callback();
        callback(Object.assign(new Error(r.message), { responseCode: r.code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          this.dataPhases++;
          const raw = Buffer.concat(chunks);
          if (this.queueFirst) {
            const parsed = await simpleParser(raw);
            this.recipients.push(session.envelope.rcptTo.map((r) => r.address));
            this.delivered.push(parsed);
            if (this.replyDelayMs > 0) await new Promise((r) => setTimeout(r, this.replyDelayMs));
            if (this.holding) await new Promise<void>((resolve) => { this.held.push(() => resolve()); });
            callback();
            return;
          }
          if (this.replyDelayMs > 0) await new Promise((r) => setTimeout(r, this.replyDelayMs));
          if (this.holding) {
            const gone = await new Promise<boolean>((resolve) => {
              this.held.push(() => resolve(this.closedSessions.has(session.id)));
              this.sessionClosed.set(session.id, () => {
                this.heldClientsGone++;
                resolve(true);
              });
            });
            this.sessionClosed.delete(session.id);
            if (gone) {
              callback(new Error('client gone before the reply: transaction cancelled'));
              return;
            }
          }
          const parsed = await simpleParser(raw);
          this.recipients.push(session.envelope.rcptTo.map((r) => r.address));
          this.delivered.push(parsed);
          callback();
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and drops every connection (the relay is down). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s === null) return;
    this.release();
    await new Promise<void>((r) => s.close(() => r()));
  }

  hold(): void {
    this.holding = true;
  }

  /** Answers the DATA phases held so far, and stops holding. */
  release(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const h of held) h();
  }

  /** Resolves when a DATA phase is being held. */
  async waitHeld(timeoutMs = 15_000): Promise<void> {
    await waitFor('a held DATA phase', () => this.held.length > 0, timeoutMs);
  }

  /** How many times each Message-ID was delivered. */
  deliveriesById(): Map<string, number> {
    const m = new Map<string, number>();
    for (const d of this.delivered) m.set(d.messageId ?? '?', (m.get(d.messageId ?? '?') ?? 0) + 1);
    return m;
  }

  async waitDelivered(n: number, timeoutMs = 15_000): Promise<ParsedMail[]> {
    await waitFor(`${n} delivered emails (have ${this.delivered.length})`, () => this.delivered.length >= n, timeoutMs);
    return this.delivered;
  }
}
