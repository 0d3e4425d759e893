import { hostname } from 'node:os';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { arpRequest } from '../../../fixtures/lib/frames.js';
import { T0, TEST_INVENTORY } from '../../../test/helpers/arp.js';
import { WebhookReceiver } from '../../../test/helpers/webhook-receiver.js';
import { freePort, waitFor } from '../../../test/integration/helpers/ports.js';
import type { CaptureStats, FrameHandler } from '../../capture/frame-source.js';
import { configSchema } from '../../config/schema.js';
import { parseInventory } from '../../inventory/load.js';
import type { WebhookPayload } from '../../sinks/webhook-payload.js';
import { DaemonEvents } from '../../telemetry/events.js';
import { memoryLogger } from '../../telemetry/logger.js';
import { sampleValue, Telemetry } from '../../telemetry/telemetry.js';
import { CaptureDaemon, type LiveFrameSource } from '../capture-daemon.js';
import { daemonSinks } from '../sinks.js';
import { webhookSink } from './webhook.js';

/** A live source stand-in: frames when the test hands them over, then a quiet wire until stopped. */
class FakeLiveSource implements LiveFrameSource {
  readonly linkType = 1;
  readonly filter = 'arp';
  private handler: FrameHandler | null = null;
  private delivered = 0;

  async run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    this.handler = onFrame;
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    return { frames: this.delivered, kernel: this.kernelStats() };
  }

  deliver(frames: readonly { bytes: Uint8Array; tsMicros: number }[]): void {
    for (const f of frames) {
      this.handler!(f.bytes, 0, f.bytes.length, f.bytes.length, f.tsMicros);
      this.delivered++;
    }
  }

  kernelStats(): { received: number; dropped: number; ifDropped: number } {
    return { received: this.delivered, dropped: 0, ifDropped: 0 };
  }
}

/** case 1: a /24 alias on srv-a asking for its neighbours, one a second from `from` s */
const offLink = (n: number, from = 0): { bytes: Uint8Array; tsMicros: number }[] => Array.from({ length: n }, (_, i) => ({
  bytes: arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: `198.51.100.${20 + (i % 3)}` }),
  tsMicros: T0 + (from + i) * 1e6,
}));

function context(noc: object) {
  const telemetry = new Telemetry();
  const log = memoryLogger();
  const config = configSchema.parse({ noc: { retry_seconds: 0.01, max_retry_seconds: 0.05, flush_seconds: 2, ...noc } });
  return { log, telemetry, ctx: { config, format: 'text' as const, out: new PassThrough(), events: new DaemonEvents(telemetry, log), telemetry } };
}

const receivers: WebhookReceiver[] = [];
afterEach(async () => { await Promise.all(receivers.splice(0).map((r) => r.close())); });

describe('the webhook sink definition', () => {
  it('is off without noc.webhook_url', async () => {
    expect(await webhookSink(context({}).ctx)).toBeNull();
  });

  it('a webhook_token_env that is not set stops the start with one line; one that is set is the bearer token', async () => {
    const { ctx } = context({ webhook_url: 'http://127.0.0.1:1/', webhook_token_env: 'ARPWARDEN_TEST_UNSET_HOOK' });
    await expect(webhookSink(ctx, {})).rejects.toThrow(/^noc\.webhook_token_env: the environment variable ARPWARDEN_TEST_UNSET_HOOK is not set$/);
    const r = await WebhookReceiver.start();
    receivers.push(r);
    const set = context({ webhook_url: r.url, webhook_token_env: 'HOOK_TOKEN' });
    const handle = (await webhookSink(set.ctx, { HOOK_TOKEN: 'from-the-environment' }))!;
    const source = new FakeLiveSource();
    const daemon = new CaptureDaemon({ interface: 'span0', config: set.ctx.config, inventory: parseInventory('t.yaml', TEST_INVENTORY), source, sinks: handle.sinks, telemetry: set.telemetry, events: set.ctx.events, timers: false });
    const run = daemon.start();
    await Promise.resolve();
    source.deliver(offLink(30));
    daemon.stop();
    await run;
    await handle.close();
    expect(r.received.map((p) => p.headers.authorization)).toEqual(['Bearer from-the-environment']);
    expect(r.bodies<WebhookPayload>()[0]).toMatchObject({ event: 'opened', host: hostname(), incident: { case: 'alias-netmask', ip: '198.51.100.7' } });
  });

  it('capture goes on while the webhook is down (frames counted, the incident held, the failures counted), and it is all delivered when it is back', async () => {
    const port = await freePort();
    const { ctx, telemetry, log } = context({ webhook_url: `http://127.0.0.1:${port}/noc` });
    const sinks = await daemonSinks({ ...ctx, detection: true });
    const source = new FakeLiveSource();
    const daemon = new CaptureDaemon({ interface: 'span0', config: ctx.config, inventory: parseInventory('t.yaml', TEST_INVENTORY), source, sinks: sinks.sinks, telemetry, events: ctx.events, timers: false });
    const run = daemon.start();
    await Promise.resolve();

    source.deliver(offLink(30));
    const at = (name: string, labels?: Record<string, string>): number | undefined => sampleValue(telemetry.snapshot(), name, labels);
    await waitFor('failed POSTs', () => (at('webhook_failed_total', { reason: 'connection' }) ?? 0) >= 2);
    // capture is not held up: the frames of the outage are counted as they come
    source.deliver(offLink(30, 30));
    expect(at('arp_packets_total', { op: 'request' })).toBe(60);
    expect(at('incidents_open', { case: 'alias-netmask' })).toBe(1);
    expect(at('webhook_posted_total')).toBe(0);
    expect(at('webhook_pending')).toBe(1);
    expect(at('webhook_dropped_total')).toBe(0);
    expect(sinks.health()).toContainEqual({ name: 'webhook', ok: false, detail: `http://127.0.0.1:${port}/noc: not answering (connection refused), 1 notifications held, 0 dropped` });

    const r = await WebhookReceiver.start(port);
    receivers.push(r);
    await waitFor('the held notification', () => at('webhook_posted_total') === 1);
    expect(at('webhook_pending')).toBe(0);
    expect(sinks.health()).toContainEqual({ name: 'webhook', ok: true, detail: `http://127.0.0.1:${port}/noc: posting` });
    expect(r.bodies<WebhookPayload>().map((b) => `${b.event} ${b.incident.case} ${b.incident.ip}`)).toEqual(['opened alias-netmask 198.51.100.7']);
    expect(r.received[0].url).toBe('/noc');

    daemon.stop();
    await run;
    await sinks.close();
    const notices = log.lines.filter((l) => l.msg.startsWith('webhook: '));
    expect(notices.map((l) => [l.level, l.msg.replace(/\([^)]*\)/g, '(…)')])).toEqual([
      ['warn', `webhook: http://127.0.0.1:${port}/noc is away (…): holding notifications (…), retrying with backoff`],
      ['info', `webhook: http://127.0.0.1:${port}/noc is back`],
    ]);
    expect(sinks.report()).toEqual([expect.stringMatching(new RegExp(`^webhook: http://127\\.0\\.0\\.1:${port}/noc: 1 notifications posted, 0 dropped, \\d+ failed posts \\(last: connection refused\\)$`))]);
    expect(sinks.json().webhook).toMatchObject({ url: `http://127.0.0.1:${port}/noc`, posted: 1, dropped: 0, pending: 0 });
  });
});

describe('the noc configuration', () => {
  it('takes an http(s) URL and an environment variable name; refuses anything else and unknown keys', () => {
    expect(configSchema.safeParse({ noc: { webhook_url: 'https://noc.example.net/hooks/arp', webhook_token_env: 'NOC_TOKEN' } }).success).toBe(true);
    expect(configSchema.safeParse({ noc: { webhook_url: 'noc.example.net/hooks' } }).success).toBe(false);
    expect(configSchema.safeParse({ noc: { webhook_url: 'http://[::1/hooks' } }).success).toBe(false);
    const withCredentials = configSchema.safeParse({ noc: { webhook_url: 'https://noc:secret@noc.example.net/hooks' } });
    expect(withCredentials.success).toBe(false);
    expect(withCredentials.error?.issues[0].message).toBe('credentials in the URL are not sent: use webhook_token_env (a bearer token)');
    expect(configSchema.safeParse({ noc: { webhook_url: 'http://h/', webhook_token_env: 'not a name' } }).success).toBe(false);
    expect(configSchema.safeParse({ noc: { webhook_url: 'http://h/', token: 'x' } }).success).toBe(false);
    expect(configSchema.safeParse({ noc: { max_pending: 0 } }).success).toBe(false);
    expect(configSchema.parse({}).noc).toMatchObject({ timeout_seconds: 10, max_pending: 10_000 });
  });
});
