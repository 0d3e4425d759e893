/**
 * A real Prometheus (Debian's) scraping `/metrics` of a real `arpwarden capture --web` on a veth between
 * network namespaces, while a misconfigured VM makes ARP noise: the ARP-rate series and the open-incidents
 * series are asked back from Prometheus's HTTP API. The NOC webhook is down meanwhile: capture goes on, the
 * failures are counted (and scraped); once a receiver listens, the held notification is delivered.
 *
 * The VM has a failover IP whose inventory entry has a virtual MAC, but sends its ARP from its own MAC
 * (case 2, virtual MAC missing). The daemon and Prometheus both run inside the capture's namespace (its
 * loopback is theirs; nothing is connected to the root namespace), so the API is asked from inside it.
 * Needs root (see netns.ts); about 20 s.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prometheus, type PromSample } from '../integration/helpers/prometheus.js';
import { waitFor } from '../integration/helpers/ports.js';
import { ArpwardenCapture } from './arpwarden-capture.js';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from './netns.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

const ROUTER = { ip: '203.0.113.254', mac: '00:00:5e:00:01:01' };
const SERVER = { id: 'srv-p', customer: 'c-p', ip: '203.0.113.40', mac: '0c:c4:7a:00:00:28' };
/** a failover of srv-p with a virtual MAC the VM does not use */
const FAILOVER = '198.51.100.41';
const VMAC = '02:00:00:3f:29:41';
const VM_OWN_MAC = '52:54:00:5e:00:41';
const CASE = 'vmac-missing';
const WEB_PORT = 9741;
/** the NOC webhook, inside the capture's namespace: nothing listens there at first */
const HOOK_PORT = 9742;

const INVENTORY = `# written by test/e2e/prometheus.test.ts
routers:
  - { ip: ${ROUTER.ip}, mac: "${ROUTER.mac}" }
customers:
  - { id: ${SERVER.customer}, email: ops@example.net }
servers:
  - { id: ${SERVER.id}, customer: ${SERVER.customer}, ip: ${SERVER.ip}, mac: "${SERVER.mac}", gateway: ${ROUTER.ip} }
failover_ips:
  - { ip: ${FAILOVER}, server: ${SERVER.id}, virtual_mac: "${VMAC}" }
`;
/** the default wants 10 MAC-mismatch frames per window: 5 opens the incident within the first seconds of noise */
const CONFIG = `detector:
  thresholds: { mac_mismatch: 5 }
noc:
  webhook_url: http://127.0.0.1:${HOOK_PORT}/hooks/arpwarden
  retry_seconds: 0.2
  max_retry_seconds: 1
  flush_seconds: 1
`;

/** A webhook receiver run in a namespace: one JSON line per POST on stdout (node:http, nothing else). */
const RECEIVER = `require('node:http').createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => { process.stdout.write(JSON.stringify({ method: req.method, url: req.url, body }) + '\\n'); res.end('ok'); });
}).listen(${HOOK_PORT}, '127.0.0.1', () => process.stdout.write('listening\\n'));`;

/** The lines a child prints, as they come. */
function lines(child: ChildProcess): string[] {
  const out: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => out.push(l));
  return out;
}

describe.skipIf(availability.skip)('Prometheus scraping `arpwarden capture --web` on a veth while a misconfigured VM makes noise', () => {
  const lab = new NetnsLab('prom-');
  let tmp = '';
  let cap: Netns;
  let vm: Netns;
  let capture: ArpwardenCapture | null = null;
  let prometheus: Prometheus | null = null;

  beforeAll(async () => {
    await assertNetnsUsable(['arping', 'curl', 'prometheus']);
    await removeStaleNamespaces();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aw-e2e-prom-'));
    await writeFile(path.join(tmp, 'inventory.yaml'), INVENTORY);
    await writeFile(path.join(tmp, 'config.yaml'), CONFIG);
    cap = await lab.namespace('cap');
    vm = await lab.namespace('vm');
    await lab.veth({ ns: vm, name: 'eth0', mac: VM_OWN_MAC }, { ns: cap, name: 'span0' });
    // right address and gateway, wrong MAC: its own instead of the failover's virtual MAC
    await vm.addAddress('eth0', `${FAILOVER}/32`);
    await vm.addRoute('203.0.113.0/24', ROUTER.ip, { dev: 'eth0', onlink: true });
  });

  afterAll(async () => {
    await capture?.stop().catch(() => {});
    await prometheus?.close();
    await lab.cleanup();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  });

  it('Prometheus has the ARP rate above 0 and one open incident of the VM\'s case, from /metrics; the webhook\'s outage is counted, then its notification delivered', async () => {
    capture = await ArpwardenCapture.start(cap, 'span0', {
      inventory: path.join(tmp, 'inventory.yaml'), config: path.join(tmp, 'config.yaml'), seconds: 45, args: ['--web', `127.0.0.1:${WEB_PORT}`],
    });
    prometheus = await Prometheus.start({ targets: [`127.0.0.1:${WEB_PORT}`], intervalSeconds: 1, place: cap });
    const prom = prometheus;
    const explain = async (e: unknown): Promise<never> => {
      throw new Error(`${String(e)}; targets ${JSON.stringify(await prom.targets())}; prometheus said: ${prom.output}`);
    };
    const one = async (promql: string): Promise<number | null> => {
      const r = await prom.query(promql);
      return r.length === 1 ? r[0].value : null;
    };

    // the VM asks for its gateway, which nobody answers, from its own MAC: a few requests a second
    const noise = vm.exec(['arping', '-q', '-c', '60', '-W', '0.2', '-i', 'eth0', '-S', FAILOVER, ROUTER.ip], { allowFailure: true, timeoutMs: 20_000 });

    let rate: PromSample[] = [];
    let open: PromSample[] = [];
    await waitFor('the ARP rate, the open incident and the webhook\'s failures in Prometheus', async () => {
      rate = await prom.query('sum(rate(arpwarden_arp_frames_total[5s])) > 0');
      open = await prom.query(`arpwarden_incidents_open{case="${CASE}"} == 1`);
      return rate.length === 1 && open.length === 1
        && ((await one('arpwarden_webhook_failed_total{reason="connection"}')) ?? 0) >= 2 && (await one('arpwarden_webhook_pending')) === 1;
    }, 25_000, 500).catch(explain);

    expect(rate[0].value).toBeGreaterThan(0);
    expect(open[0].metric).toMatchObject({ __name__: 'arpwarden_incidents_open', case: CASE, job: 'arpwarden', instance: `127.0.0.1:${WEB_PORT}` });
    // every other case has none open: the VM is the only offender
    const others = await prom.query(`arpwarden_incidents_open{case!="${CASE}"}`);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((s) => s.value === 0)).toBe(true);
    // the requests Prometheus scraped are the VM's: untagged requests, counted
    const requests = await prom.query('arpwarden_arp_packets_total{op="request"}');
    expect(requests).toHaveLength(1);
    expect(requests[0].value).toBeGreaterThanOrEqual(5);
    expect(await prom.targets()).toEqual([{ scrapeUrl: `http://127.0.0.1:${WEB_PORT}/metrics`, health: 'up', lastError: '' }]);
    expect(await one('arpwarden_webhook_posted_total')).toBe(0);

    // the webhook comes up: the notification held is delivered, and the frames were counted all along
    const framesBefore = (await one('arpwarden_frames_total'))!;
    const receiver = cap.spawn([process.execPath, '-e', RECEIVER], { maxSeconds: 40 });
    const posts = lines(receiver);
    await waitFor('the receiver to listen', () => posts.includes('listening'), 10_000);
    await waitFor('the notification delivered, as Prometheus sees it', async () => (await one('arpwarden_webhook_posted_total')) === 1
      && (await one('arpwarden_webhook_pending')) === 0, 15_000, 500).catch(explain);
    expect((await one('arpwarden_frames_total'))!).toBeGreaterThan(framesBefore);
    const received = posts.filter((l) => l !== 'listening').map((l) => JSON.parse(l) as { method: string; url: string; body: string });
    expect(received.map((p) => [p.method, p.url])).toEqual([['POST', '/hooks/arpwarden']]);
    expect(JSON.parse(received[0].body)).toMatchObject({ event: 'opened', host: os.hostname(), incident: { case: CASE, ip: FAILOVER, mac: VM_OWN_MAC, resolved_at: null } });

    await noise;
    const result = await capture.stop();
    capture = null;
    expect(result.summary.incidents.map((i) => `${i.case} ${i.ip} ${i.mac}`)).toEqual([`${CASE} ${FAILOVER} ${VM_OWN_MAC}`]);
    // what Prometheus last scraped is at most what the daemon counted in the end
    expect(requests[0].value).toBeLessThanOrEqual(result.summary.arp.requests);
    expect(result.summary.traffic.webhook).toMatchObject({ posted: 1, dropped: 0, pending: 0 });
  });
});
