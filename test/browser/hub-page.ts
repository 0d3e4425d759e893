/**
 * The NOC page served with nothing behind it but an event hub the test publishes incidents on (no capture, no book):
 * for browser tests of how the page draws what it is told.
 */
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { Telemetry } from '../../src/telemetry/telemetry.js';
import { buildApp } from '../../src/web/app.js';
import { EventHub } from '../../src/web/event-hub.js';
import { launchChromium } from './chromium.js';

export interface HubPage {
  /** http://127.0.0.1:PORT */
  url: string;
  hub: EventHub;
  browser: Browser;
  close(): Promise<void>;
}

/** `history`: what /api/incidents says the daemon keeps (detector.incident_history). */
export async function hubPage(history: number): Promise<HubPage> {
  const hub = new EventHub({ history: 100, clientBufferBytes: 1 << 20, retryMs: 200, keepAliveMs: 60_000 });
  const app = buildApp({ incidents: { list: () => [], evidenceFrames: () => [], history }, telemetry: new Telemetry(), events: hub });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium();
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, hub, browser,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}
