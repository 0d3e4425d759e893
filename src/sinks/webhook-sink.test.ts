import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../../test/integration/helpers/ports.js';
import { WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { FileSource } from '../capture/file-source.js';
import { defaultConfig } from '../config/schema.js';
import type { IncidentJson } from '../incidents/incident-json.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import type { WebhookPayload } from './webhook-payload.js';
import { WebhookSink, type WebhookSinkOptions } from './webhook-sink.js';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures');
const inventory = loadInventory(path.join(FIXTURES, 'inventory.yaml'));
const expected = (capture: string): IncidentJson[] =>
  JSON.parse(readFileSync(path.join(FIXTURES, 'expected', capture.replace('.pcap', '.incidents.json')), 'utf8')) as IncidentJson[];

const receivers: WebhookReceiver[] = [];
const sinks: WebhookSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(port = 0): Promise<WebhookReceiver> {
  const r = await WebhookReceiver.start(port);
  receivers.push(r);
  return r;
}

function sink(url: string, o: Partial<WebhookSinkOptions> = {}): { sink: WebhookSink; notices: string[] } {
  const notices: string[] = [];
  const s = new WebhookSink({
    url, token: null, host: 'span-1.example.net', timeoutMs: 2000, maxPending: 1000, retryMs: 10, maxRetryMs: 40, flushMs: 2000,
    notice: (level, m) => notices.push(`${level} ${m}`), ...o,
  });
  sinks.push(s);
  return { sink: s, notices };
}

/** Replays a fixture capture into the sink (not closed). */
async function replay(capture: string, s: WebhookSink): Promise<void> {
  await replayFile(new FileSource(path.join(FIXTURES, 'captures', capture)), defaultConfig(), inventory, [s]);
}

describe('WebhookSink against a real HTTP server', () => {
  it('POSTs each incident opened and resolved as JSON: event, host, the incident as the API gives it; a bearer token when set', async () => {
    const r = await receiver();
    const { sink: s } = sink(r.url, { token: 'noc-secret-token' });
    for (const capture of ['case2-vmac-gateway.pcap', 'noise-arp-scan.pcap']) await replay(capture, s);
    await s.idle();
    const want = [...expected('case2-vmac-gateway.pcap'), ...expected('noise-arp-scan.pcap')];
    expect(want.map((i) => i.case)).toEqual(['vmac-gateway', 'noise']);
    const bodies = r.bodies<WebhookPayload>();
    expect(bodies.map((b) => `${b.event} ${b.incident.case}`)).toEqual(['opened vmac-gateway', 'resolved vmac-gateway', 'opened noise', 'resolved noise']);
    for (const [k, inc] of want.entries()) {
      const [opened, resolved] = [bodies[2 * k], bodies[2 * k + 1]];
      // the opening as it was then: not resolved yet, its id and addresses those of the end
      expect(opened).toMatchObject({ event: 'opened', host: 'span-1.example.net', incident: { id: inc.id, ip: inc.ip, mac: inc.mac, opened_at: inc.opened_at, resolved_at: null } });
      expect(resolved).toEqual({ event: 'resolved', host: 'span-1.example.net', incident: inc });
    }
    for (const p of r.received) {
      expect(p.method).toBe('POST');
      expect(p.url).toBe('/hooks/arpwarden');
      expect(p.headers['content-type']).toBe('application/json');
      expect(p.headers.authorization).toBe('Bearer noc-secret-token');
    }
    expect(s.stats()).toMatchObject({ posted: 4, dropped: 0, pending: 0, retries: 0 });
  });

  it('a flood: each noise incident opened is closed by a `folded` naming the flood, which opens and resolves', async () => {
    const r = await receiver();
    const { sink: s } = sink(r.url);
    await replay('flood-spoofed-senders.pcap', s);
    await s.idle();
    const bodies = r.bodies<WebhookPayload>();
    const [flood] = expected('flood-spoofed-senders.pcap');
    const opened = bodies.filter((b) => b.event === 'opened' && b.incident.case === 'noise').map((b) => b.incident.id);
    const folded = bodies.filter((b) => b.event === 'folded');
    expect(opened).toHaveLength(flood.folded.length);
    expect(folded.map((b) => b.incident.id).sort()).toEqual([...opened].sort());
    expect(folded.every((b) => b.folded_into === flood.id)).toBe(true);
    expect(bodies.filter((b) => b.incident.case === 'flood').map((b) => b.event)).toEqual(['opened', 'resolved']);
    expect(bodies.at(-1)).toEqual({ event: 'resolved', host: 'span-1.example.net', incident: flood });
  });

  it('a webhook that is down, then up: retried with backoff, counted, said once each way, everything delivered in order', async () => {
    const port = await freePort();
    const { sink: s, notices } = sink(`http://127.0.0.1:${port}/hooks/arpwarden`);
    for (const capture of ['case2-vmac-gateway.pcap', 'noise-arp-scan.pcap']) await replay(capture, s);
    await waitFor('three failed POSTs', () => s.stats().failed.connection >= 3);
    expect(s.stats()).toMatchObject({ posted: 0, pending: 4, dropped: 0, last_error: 'connection refused' });
    expect(notices).toEqual([`warn http://127.0.0.1:${port}/hooks/arpwarden is away (connection refused): holding notifications (at most 1000, the oldest dropped past it), retrying with backoff`]);
    const r = await receiver(port);
    await s.idle();
    expect(r.bodies<WebhookPayload>().map((b) => `${b.event} ${b.incident.case}`)).toEqual(['opened vmac-gateway', 'resolved vmac-gateway', 'opened noise', 'resolved noise']);
    const st = s.stats();
    expect(st).toMatchObject({ posted: 4, pending: 0, dropped: 0 });
    expect(st.retries).toBe(st.failed.connection);
    expect(notices).toHaveLength(2);
    expect(notices[1]).toBe(`info http://127.0.0.1:${port}/hooks/arpwarden is back: sending the 3 notifications held`);
  });

  it('a 5xx is retried; a 4xx drops that notification, counted, and the next ones go', async () => {
    const r = await receiver();
    const answers = [503, 500, 400];
    r.answer = () => answers.shift() ?? 200;
    const { sink: s, notices } = sink(r.url);
    await replay('case2-vmac-gateway.pcap', s);
    await s.idle();
    // opened: 503, 500, then refused (400); resolved: taken
    expect(r.bodies<WebhookPayload>().map((b) => b.event)).toEqual(['opened', 'opened', 'opened', 'resolved']);
    expect(s.stats()).toMatchObject({ posted: 1, dropped: 1, retries: 2, failed: { connection: 0, timeout: 0, http_3xx: 0, http_4xx: 1, http_5xx: 2 }, last_error: 'HTTP 400 Bad Request' });
    expect(notices.filter((n) => n.includes('refused a notification (HTTP 400 Bad Request)'))).toHaveLength(1);
  });

  it('a receiver that refuses every notification (a wrong token: 401) is not ready in /readyz, and is again once one goes', async () => {
    const r = await receiver();
    r.answer = () => 401;
    const { sink: s } = sink(r.url);
    await replay('case2-vmac-gateway.pcap', s);
    await s.idle();
    expect(s.stats()).toMatchObject({ posted: 0, dropped: 2, retries: 0 });
    expect(s.health()).toEqual({ ok: false, detail: `${r.url}: refusing notifications (HTTP 401 Unauthorized), 2 refused, 2 dropped` });
    r.answer = () => 200;
    await replay('case2-vmac-gateway.pcap', s);
    await s.idle();
    expect(s.health()).toEqual({ ok: true, detail: `${r.url}: posting` });
  });

  it('a receiver back from an outage that refuses the one held: answering, so not away; refusing, so not ready', async () => {
    const port = await freePort();
    const { sink: s } = sink(`http://127.0.0.1:${port}/hooks/arpwarden`, { maxPending: 1 });
    await replay('case2-vmac-gateway.pcap', s);
    await waitFor('a failed POST', () => s.stats().failed.connection >= 1);
    expect(s.health().detail).toMatch(/not answering \(connection refused\)/);
    const r = await receiver(port);
    r.answer = () => 403;
    await s.idle();
    expect(s.health()).toEqual({ ok: false, detail: `${r.url}: refusing notifications (HTTP 403 Forbidden), 1 refused, 2 dropped` });
  });

  it('a redirect is not followed (a POST redirected is a GET): that notification is dropped, counted as http_3xx', async () => {
    const r = await receiver();
    const answers = [{ status: 302, headers: { location: '/elsewhere' } }];
    r.answer = () => answers.shift() ?? 200;
    const { sink: s } = sink(r.url);
    await replay('case2-vmac-gateway.pcap', s);
    await s.idle();
    expect(r.received.map((p) => p.method)).toEqual(['POST', 'POST']);
    expect(s.stats()).toMatchObject({ posted: 1, dropped: 1, retries: 0, failed: { http_3xx: 1 } });
  });

  it('a receiver that does not answer: the POST times out, counted as a timeout, and is retried', async () => {
    const r = await receiver();
    let calls = 0;
    r.answer = () => (++calls === 1 ? new Promise<number>(() => {}) : 200);
    const { sink: s } = sink(r.url, { timeoutMs: 150 });
    await replay('case2-vmac-gateway.pcap', s);
    await s.idle();
    expect(s.stats()).toMatchObject({ posted: 2, failed: { timeout: 1 }, last_error: 'no answer within 0.15 s' });
    expect(r.received).toHaveLength(3);
  });

  it('a full buffer drops the oldest waiting notification, never the one being posted, and counts it', async () => {
    const r = await receiver();
    let release: (status: number) => void = () => {};
    const hung = new Promise<number>((res) => { release = res; });
    r.answer = () => hung;
    const { sink: s } = sink(r.url, { maxPending: 2 });
    // 2 + 20 + 1 notifications: the flood's 20 noise openings, 20 folds, the flood's opening and its end
    await replay('flood-spoofed-senders.pcap', s);
    const total = 42;
    await waitFor('the first POST to arrive', () => r.received.length === 1);
    expect(s.stats()).toMatchObject({ pending: 2, dropped: total - 2, posted: 0 });
    release(200);
    await s.idle();
    const bodies = r.bodies<WebhookPayload>();
    // the first (in flight while the rest came) and the newest: the flood's end
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toMatchObject({ event: 'opened', incident: { case: 'noise' } });
    expect(bodies[1]).toMatchObject({ event: 'resolved', incident: { case: 'flood' } });
    expect(s.stats()).toMatchObject({ posted: 2, dropped: total - 2, pending: 0 });
  });

  it('close() waits flushMs for an absent receiver, then counts what is left as dropped; twice is fine', async () => {
    const port = await freePort();
    const { sink: s } = sink(`http://127.0.0.1:${port}/`, { flushMs: 100 });
    await replay('case2-vmac-gateway.pcap', s);
    const t = performance.now();
    await s.close();
    expect(performance.now() - t).toBeLessThan(1500);
    expect(s.stats()).toMatchObject({ posted: 0, dropped: 2, pending: 0 });
    await s.close();
    expect(s.url).toBe(`http://127.0.0.1:${port}/`);
  });
});
