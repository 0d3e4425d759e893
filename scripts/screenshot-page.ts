/**
 * docs/img/noc-page.png: the NOC page on fixture captures replayed through the page's feed (test/browser/replayed-page.ts),
 * with the first open incident clicked open.
 *
 *   node --import tsx scripts/screenshot-page.ts [OUT.png]
 */
import path from 'node:path';
import { launchChromium } from '../test/browser/chromium.js';
import { replayedPage } from '../test/browser/replayed-page.js';

const OUT = process.argv[2] ?? path.join(import.meta.dirname, '..', 'docs', 'img', 'noc-page.png');

const server = await replayedPage();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 760 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.url}/`);
  await page.locator('#incidents tr.incident').first().waitFor();
  const open = page.locator('#incidents tr.incident.open');
  await ((await open.count()) > 0 ? open.first() : page.locator('#incidents tr.incident').first()).click();
  await page.locator('tr.evidence pre.lines', { hasText: 'who-has' }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`${OUT}: ${server.book.known().length} incidents, ${server.frames} frames`);
} finally {
  await browser.close();
  await server.close();
}
