import { freePort } from './ports.js';
import { SmtpSink } from './smtp-sink.js';

/** What a test started, stopped after it in reverse order (workers before the queue probe, the relay last). */
export class Cleanups {
  private readonly list: (() => Promise<void> | void)[] = [];

  readonly push = (f: () => Promise<void> | void): void => {
    this.list.push(f);
  };

  /** `x`, closed after the test */
  readonly later = <T extends { close(): Promise<void> | void }>(x: T): T => {
    this.push(() => x.close());
    return x;
  };

  /** an SMTP server on a free loopback port, stopped after the test */
  readonly smtpSink = async (): Promise<SmtpSink> => {
    const s = new SmtpSink(await freePort());
    await s.start();
    this.push(() => s.stop());
    return s;
  };

  async run(): Promise<void> {
    for (const c of this.list.splice(0).reverse()) await c();
  }
}
