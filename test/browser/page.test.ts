/**
 * The page in Debian's chromium on fixture captures replayed through its feed (replayed-page.ts), with web.token
 * set: what it shows of the incidents, their evidence and pcap, the chart and the top talkers, and the token rule
 * as a browser lives it (the token in the fragment, the stream's ?token=, the header on fetches). No namespace:
 * runs without root. The live daemon in a namespace is noc-page.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentJson } from '../../src/incidents/incident-json.js';
import { launchChromium } from './chromium.js';
import { replayedPage, type ReplayedPage } from './replayed-page.js';

const TOKEN = 'page-test-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
/** the page's palette, as the canvas stores it */
const PALETTE_RGB = ['#73bf69', '#5794f2', '#ff9830', '#f2495c', '#b877d9'].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));

describe('the NOC page in chromium (fixtures replayed through its feed, with a token)', () => {
  let server: ReplayedPage;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'aw-page-dl-'));

  beforeAll(async () => {
    server = await replayedPage({ token: TOKEN });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every incident, opens one\'s evidence and downloads its pcap; draws a line per VLAN; lists the top talkers', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1500, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/#token=${TOKEN}`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('live');
    // the token leaves the address once kept
    expect(page.url()).toBe(`${server.url}/`);

    const api = (await (await fetch(`${server.url}/api/incidents`, { headers: auth })).json() as { incidents: IncidentJson[] }).incidents;
    expect(api.length).toBeGreaterThan(2);
    const rows = page.locator('#incidents tr.incident');
    await expect.poll(() => rows.count()).toBe(api.length);
    const open = api.filter((i) => i.resolved_at === null);
    expect(open.length).toBeGreaterThan(0);
    // open ones first (newest first), each with its case, IP, customer and server
    const shownIds = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
    expect(shownIds.slice(0, open.length)).toEqual(open.map((i) => i.id).reverse());
    for (const i of open) {
      const text = await page.locator(`#incidents tr.incident[data-id="${i.id}"]`).innerText();
      for (const field of [i.case, i.ip!, i.customer!, i.server!]) expect(text).toContain(field);
      expect(text).toMatch(/^open/);
    }
    expect(await page.locator('#incident-count').innerText()).toBe(`${open.length} open, ${api.length - open.length} resolved`);

    const chosen = open[0];
    await page.locator(`#incidents tr.incident[data-id="${chosen.id}"]`).click();
    const full = await (await fetch(`${server.url}/api/incidents/${chosen.id}`, { headers: auth })).json() as IncidentJson & { last_samples: string[] };
    const lines = page.locator(`tr.evidence[data-evidence-for="${chosen.id}"] pre.lines`);
    await expect.poll(() => lines.innerText()).toBe([...full.samples, ...(full.last_samples.length > 0 ? ['…', ...full.last_samples] : [])].join('\n'));

    // the pcap: fetched with the header (a link cannot carry it), saved as ID.pcap, the same bytes as the API's
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('tr.evidence a.pcap').click()]);
    expect(download.suggestedFilename()).toBe(`${chosen.id}.pcap`);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const expected = Buffer.from(await (await fetch(`${server.url}/api/incidents/${chosen.id}/evidence.pcap`, { headers: auth })).arrayBuffer());
    expect(readFileSync(file).equals(expected)).toBe(true);
    const tcpdump = execFileSync('tcpdump', ['-tttt', '-nn', '-e', '-r', file], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(tcpdump.trim().split('\n')).toEqual([...full.samples, ...full.last_samples]);

    // the chart: the VLANs of the captures, each drawn in its colour
    const vlans = await page.locator('#vlans tbody tr td:nth-child(2)').allInnerTexts();
    expect(vlans).toEqual(expect.arrayContaining(['100', '200', '300', '4000']));
    const coloured = await page.evaluate((palette) => {
      const c = document.getElementById('chart') as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const counts = palette.map(() => 0);
      for (let p = 0; p < data.length; p += 4) {
        palette.forEach(([r, g, b], k) => { if (Math.abs(data[p] - r) < 8 && Math.abs(data[p + 1] - g) < 8 && Math.abs(data[p + 2] - b) < 8) counts[k]++; });
      }
      return counts;
    }, PALETTE_RGB);
    expect(coloured.filter((n) => n > 30).length).toBeGreaterThanOrEqual(4);

    // the top talkers: the traffic summary's recent ones at the last heartbeat, busiest first
    const talkers = await page.locator('#talkers tbody tr td:first-child').allInnerTexts();
    expect(talkers).toEqual(server.talkers);
    expect(talkers.length).toBe(10);
    // who is loud now: the heading says since when (packet time)
    expect(await page.locator('#talkers-since').textContent()).toMatch(/^since \d\d:\d\d:\d\d UTC$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a wrong token: the stream is refused (the page says so) and nothing is shown', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/#token=not-the-token-at-all`);
    await expect.poll(() => page.locator('#conn').getAttribute('data-state')).toBe('unauthorized');
    expect(await page.locator('#incidents tr.incident').count()).toBe(0);
    await page.close();
  });
});
