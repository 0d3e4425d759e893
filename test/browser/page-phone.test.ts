/**
 * The NOC page on a phone's width (390 px) in Debian's chromium, on the fixtures replayed through its feed
 * (replayed-page.ts): nothing scrolls sideways; an incident is a card of named lines (its columns' names from the
 * table's header); its evidence wraps inside the screen, each `who-has X tell F` whole on it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentJson } from '../../src/incidents/incident-json.js';
import { launchChromium } from './chromium.js';
import { replayedPage, type ReplayedPage } from './replayed-page.js';

const WIDTH = 390;

describe('the NOC page at a phone\'s width (390 px) in chromium', () => {
  let server: ReplayedPage;
  let browser: Browser;
  beforeAll(async () => {
    server = await replayedPage();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows each incident as named lines and its evidence wrapped on the screen: no box scrolls sideways', async () => {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 844 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    const api = (await (await fetch(`${server.url}/api/incidents`)).json() as { incidents: IncidentJson[] }).incidents;
    const rows = page.locator('#incidents tr.incident');
    await expect.poll(() => rows.count()).toBe(api.length);

    const open = api.find((i) => i.resolved_at === null)!;
    const card = page.locator(`#incidents tr.incident[data-id="${open.id}"]`);
    // one line per column, its name then its value
    const lines = (await card.locator('td').evaluateAll((tds) => tds.map((td) => `${getComputedStyle(td, '::before').content} ${(td as HTMLElement).innerText}`)));
    expect(lines.slice(0, 5)).toEqual(['"state" open', `"case" ${open.case}`, `"IP" ${open.ip}`, `"customer" ${open.customer}`, `"server" ${open.server}`]);
    expect(await page.locator('#incidents thead').isVisible()).toBe(false);

    await card.click();
    const evidence = page.locator(`tr.evidence[data-evidence-for="${open.id}"] pre.lines`);
    await expect.poll(() => evidence.innerText()).toContain('who-has');
    const got = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('section, table, pre')].filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > vw + 1).map((e) => e.id || e.className || e.tagName);
      // every `who-has X tell F` of the evidence: its text's boxes inside the viewport
      const pre = document.querySelector('tr.evidence pre.lines')!;
      const text = pre.firstChild as Text;
      const whoHas: boolean[] = [];
      for (const m of text.data.matchAll(/who-has \S+ tell [\d.]+/g)) {
        const r = document.createRange();
        r.setStart(text, m.index);
        r.setEnd(text, m.index + m[0].length);
        whoHas.push([...r.getClientRects()].every((b) => b.left >= 0 && b.right <= vw + 0.5));
      }
      return { vw, page: document.documentElement.scrollWidth, wide, whoHas };
    });
    expect(got.vw).toBe(WIDTH);
    expect(got.page).toBe(WIDTH);
    expect(got.wide).toEqual([]);
    expect(got.whoHas.length).toBeGreaterThan(0);
    expect(got.whoHas.every(Boolean)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
