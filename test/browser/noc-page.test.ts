/**
 * The NOC page in Debian's chromium (playwright-core) on the real daemon: `arpwarden capture --web` inside a
 * namespace, on a veth whose peer is a server with its failover IPs configured as aliases with the /24 netmask
 * (case alias-netmask, by off_link_target: it asks the VLAN for addresses of that /24 nobody has). The browser
 * reaches the daemon through a unix-socket bridge (socket-bridge.ts), which also lets the test cut the stream.
 *
 * a) the page is open before the noise: the incident's row appears without a reload, and a click shows its
 *    evidence lines;
 * b) the stream is cut and held off while a second failover makes noise: on reconnect the browser sends
 *    Last-Event-ID, the server replays what the page missed (it counts the reconnection as replayed), and the
 *    new incident is shown, with no refetch of /api/incidents and no reload.
 *
 * Needs root (namespaces, capture; see test/e2e/netns.ts); about 30 s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from '../e2e/netns.js';
import { launchChromium } from './chromium.js';
import { SocketBridge } from './socket-bridge.js';
import { WebCapture } from './web-capture.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

const SRV = { id: 'srv-a', customer: 'c-1', ip: '203.0.113.10', mac: '0c:c4:7a:00:00:0a' };
const ROUTER = { ip: '203.0.113.254', mac: '00:00:5e:00:01:01' };
/** two failovers of srv-a, both (wrongly) with the /24 netmask */
const F1 = '198.51.100.7';
const F2 = '198.51.100.8';
/** addresses of that /24 nobody has: each ping makes the kernel ask 3 times */
const ABSENT = ['198.51.100.100', '198.51.100.101', '198.51.100.102'];
const THRESHOLD = 5;
const WEB_PORT = 9740;

const INVENTORY = `# written by test/browser/noc-page.test.ts
routers:
  - { ip: ${ROUTER.ip}, mac: "${ROUTER.mac}" }
customers:
  - { id: ${SRV.customer}, email: ops@example.net }
servers:
  - { id: ${SRV.id}, customer: ${SRV.customer}, ip: ${SRV.ip}, mac: "${SRV.mac}", gateway: ${ROUTER.ip} }
failover_ips:
  - { ip: ${F1}, server: ${SRV.id} }
  - { ip: ${F2}, server: ${SRV.id} }
`;
const CONFIG = `# written by test/browser/noc-page.test.ts: ${THRESHOLD} off-link requests are enough for a few seconds of noise
detector:
  reply_timeout_seconds: 1
  thresholds: { off_link_target: ${THRESHOLD} }
`;

describe.skipIf(availability.skip)('the NOC page in chromium, on `arpwarden capture --web` in a namespace', () => {
  const lab = new NetnsLab('pg-');
  let tmp = '';
  let host: Netns;
  let capture: WebCapture;
  let bridge: SocketBridge;
  let browser: Browser;
  let page: Page;
  /** requests the page made for the incident list (a refetch is one more) */
  const listFetches: string[] = [];
  let loads = 0;

  beforeAll(async () => {
    await assertNetnsUsable(['ping']);
    await removeStaleNamespaces();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aw-page-'));
    await writeFile(path.join(tmp, 'inventory.yaml'), INVENTORY);
    await writeFile(path.join(tmp, 'config.yaml'), CONFIG);
    const cap = await lab.namespace('cap');
    host = await lab.namespace('host');
    await lab.veth({ ns: cap, name: 'span0' }, { ns: host, name: 'eth0', mac: SRV.mac });
    await host.neighParam('eth0', 'retrans_time_ms', 100);
    await host.neighParam('eth0', 'delay_first_probe_time', 60);
    // the wrong configuration: the failovers as aliases with the server's /24 netmask instead of /32
    await host.addAddress('eth0', `${SRV.ip}/24`);
    await host.addAddress('eth0', `${F1}/24`);
    await host.addAddress('eth0', `${F2}/24`);
    capture = await WebCapture.start(cap, 'span0', { inventory: path.join(tmp, 'inventory.yaml'), config: path.join(tmp, 'config.yaml'), port: WEB_PORT });
    bridge = await SocketBridge.start(cap, path.join(tmp, 'web.sock'), WEB_PORT);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/incidents') listFetches.push(r.url()); });
    page.on('load', () => { loads++; });
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await capture?.stop();
    await lab.cleanup();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  });

  /** Pings from `src` to addresses nobody has: the kernel asks the VLAN for each, 3 times, unanswered. */
  async function noise(src: string): Promise<void> {
    for (const t of ABSENT) await host.exec(['ping', '-n', '-q', '-c', '1', '-W', '0.4', '-I', src, t], { allowFailure: true });
  }

  async function stats(): Promise<{ name: string; labels: Record<string, string>; value: number }[]> {
    return (await (await fetch(`${bridge.url}/api/stats`)).json() as { samples: { name: string; labels: Record<string, string>; value: number }[] }).samples;
  }
  const reconnects = async (outcome: string): Promise<number> =>
    (await stats()).find((s) => s.name === 'web_sse_reconnects_total' && s.labels.outcome === outcome)?.value ?? -1;

  it('a) open before the noise: the incident appears without a reload, and its evidence opens on click', async () => {
    await page.goto(`${bridge.url}/`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    expect(await page.locator('#incidents tr.incident').count()).toBe(0);
    expect(listFetches.length).toBe(1);

    await noise(F1);
    const row = page.locator('#incidents tr.incident', { hasText: F1 });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-case')).toBe('alias-netmask');
    await expect.poll(() => row.innerText()).toMatch(new RegExp(`open\\s+alias-netmask\\s+${F1.replaceAll('.', '\\.')}\\s+${SRV.customer}\\s+${SRV.id}`));
    expect(capture.opened(F1)?.incident.case).toBe('alias-netmask');
    // no reload: one page load, the list fetched once
    expect(loads).toBe(1);
    expect(listFetches.length).toBe(1);

    await row.click();
    const lines = page.locator(`tr.evidence[data-evidence-for="${capture.opened(F1)!.incident.id}"] pre.lines`);
    await expect.poll(() => lines.innerText(), { timeout: 10_000 }).toContain('who-has');
    // the incident's evidence: its sample lines as the daemon reported them at opening, every one F1 asking for an absent address
    const shown = (await lines.innerText()).split('\n').filter((l) => l !== '…');
    const opened = capture.opened(F1)!.incident;
    expect(shown.slice(0, opened.samples.length)).toEqual(opened.samples);
    for (const l of shown) expect(l).toMatch(new RegExp(`Request who-has 198\\.51\\.100\\.10[0-2] tell ${F1.replaceAll('.', '\\.')},`));
    expect(await page.locator('tr.evidence a.pcap').getAttribute('href')).toBe(`/api/incidents/${capture.opened(F1)!.incident.id}/evidence.pcap`);
  });

  it('b) the stream cut while an incident opens: on reconnect the page catches up through Last-Event-ID', async () => {
    expect(await reconnects('replayed')).toBe(0);
    const cut = bridge.hold();
    expect(cut).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('reconnecting');

    await noise(F2);
    await capture.until(() => capture.opened(F2) !== undefined, 20_000, `opening an incident for ${F2}`);
    // still cut off: the page cannot know yet
    expect(await page.locator('#incidents tr.incident', { hasText: F2 }).count()).toBe(0);

    bridge.release();
    const row = page.locator('#incidents tr.incident', { hasText: F2 });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-case')).toBe('alias-netmask');
    expect(await page.locator('#conn').getAttribute('data-state')).toBe('live');
    // the server saw Last-Event-ID and replayed from its history; the page neither reloaded nor refetched the list
    expect(await reconnects('replayed')).toBeGreaterThanOrEqual(1);
    expect(await reconnects('reset')).toBe(0);
    expect(loads).toBe(1);
    expect(listFetches.length).toBe(1);
    // the first incident is still there
    expect(await page.locator('#incidents tr.incident', { hasText: F1 }).count()).toBe(1);
  });
});
