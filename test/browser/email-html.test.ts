/**
 * The HTML part of every case's email, in every locale, rendered by Debian's Chromium at a
 * desktop mail client's width (760 px) and a phone's (390 px): no <pre> or code box scrolls
 * sideways or sticks out of the page, and each sample's `who-has X tell F` is on screen.
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs, groupedEmailJobs } from '../../fixtures/email-jobs.js';
import { LOCALES } from '../../src/common/locales.js';
import { type EmailJob, jobIps } from '../../src/email/job.js';
import { renderEmail } from '../../src/email/render/render.js';

const OPTS = { from: 'Example Hosting NOC <noc@example.net>', replyTo: 'noc@example.net', provider: 'Example Hosting' };
const WIDTHS = [760, 390];

interface Layout {
  viewport: number;
  page: number;
  /** boxes wider inside than they show, or reaching past the viewport */
  overflowing: string[];
  /** each `who-has X tell F` of the samples: whether all of it lies inside the viewport */
  whoHas: { text: string; visible: boolean }[];
}

/** Measured in the page: every <pre> and <code>, and the ARP part of every sample line. */
function measure(): Layout {
  const vw = document.documentElement.clientWidth;
  const overflowing: string[] = [];
  for (const el of Array.from(document.querySelectorAll('pre, code'))) {
    const r = el.getBoundingClientRect();
    const tooWide = el.tagName === 'PRE' && el.scrollWidth > el.clientWidth;
    if (tooWide || r.right > vw + 0.5 || r.left < -0.5) overflowing.push(`${el.tagName} ${Math.round(r.left)}..${Math.round(r.right)} (scroll ${el.scrollWidth} > ${el.clientWidth}?): ${(el.textContent ?? '').slice(0, 60)}`);
  }
  const whoHas: { text: string; visible: boolean }[] = [];
  for (const pre of Array.from(document.querySelectorAll('pre'))) {
    const node = pre.firstChild;
    if (node === null || node.nodeType !== Node.TEXT_NODE) continue;
    const text = node.textContent ?? '';
    for (const m of text.matchAll(/who-has \S+ tell [0-9.]+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = Array.from(range.getClientRects());
      whoHas.push({ text: m[0], visible: rects.length > 0 && rects.every((r) => r.left >= -0.5 && r.right <= vw + 0.5 && r.width > 0) });
    }
  }
  return { viewport: vw, page: document.documentElement.scrollWidth, overflowing, whoHas };
}

describe('the warning emails\' HTML in Chromium, at 760 and 390 px', () => {
  let browser: Browser;
  let page: Page;
  let jobs: EmailJob[];

  beforeAll(async () => {
    [browser, jobs] = await Promise.all([
      chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] }),
      // every case's email, and the emails of several IPs of one block
      Promise.all([caseEmailJobs(), groupedEmailJobs()]).then(([single, grouped]) => [...single, ...grouped]),
    ]);
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('every case (and the emails of several IPs), every locale: nothing scrolls sideways, and every sample\'s who-has … tell … is on screen', async () => {
    let samples = 0;
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const html = renderEmail({ ...job, customer: { ...job.customer, locale } }, OPTS).html;
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          await page.setContent(html);
          const at = `${job.caseId} ${jobIps(job).join('+')} ${locale} ${width}px`;
          const got = await page.evaluate(measure);
          expect(got.viewport, at).toBe(width);
          expect(got.overflowing, at).toEqual([]);
          expect(got.page, at).toBeLessThanOrEqual(width);
          const requests = [job.evidence, ...(job.group ?? []).map((g) => g.evidence)].flatMap((e) => e.samples).filter((l) => l.includes('who-has')).length;
          expect(got.whoHas.length, at).toBeGreaterThanOrEqual(requests);
          expect(got.whoHas.filter((w) => !w.visible), at).toEqual([]);
          samples += got.whoHas.length;
        }
      }
    }
    expect(samples).toBeGreaterThan(0);
  });
});
