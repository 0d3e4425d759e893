import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../capture/file-source.js';
import type { FrameSource } from '../capture/frame-source.js';
import { UserError } from '../common/user-error.js';
import { defaultConfig } from '../config/schema.js';
import { replayFile } from '../pipeline/replay.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { replayMetrics } from './replay-metrics.js';

const CAPTURE = path.resolve(import.meta.dirname, '../../fixtures/captures/case1-alias-netmask.pcap');

/** An InfluxDB 1.x that answers its database check only when the test says, with 401; writes would be recorded. */
let server: http.Server;
let port = 0;
let writes = 0;
/** the database check's answer, held until the test sends it */
let heldCheck: (() => void) | null = null;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/write') === true) writes++;
    const answer = (): void => { res.statusCode = 401; res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify({ error: 'authorization failed' })); };
    if (req.url?.startsWith('/query') === true) heldCheck = answer;
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => { await new Promise((r) => server.close(r)); });

/** A source that delivers nothing until aborted, as a long capture still being read. */
const endless: FrameSource = {
  linkType: 1,
  run: (_onFrame, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ frames: 0 }), { once: true })),
};

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('replay --influx: the database check runs while the replay starts', () => {
  it('a check refused during the replay stops it: the replay rejects with the check\'s one line; nothing was written', async () => {
    const config = defaultConfig();
    const telemetry = new Telemetry();
    heldCheck = null;
    const metrics = await replayMetrics(`http://127.0.0.1:${port}/db`, config.metrics, telemetry);
    const run = replayFile(metrics.source(endless), config, null, [], telemetry, undefined, metrics.clock);
    await until(() => heldCheck !== null);
    heldCheck!();
    const e = await run.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toMatch(new RegExp(`^--influx: InfluxDB at http://127\\.0\\.0\\.1:${port}/db cannot be used: HTTP 401: .*authorization failed`));
    expect(writes).toBe(0);
  });

  it('a replay that ends before the answer: finish() waits for it and ends in the same line; no point was sent', async () => {
    const config = defaultConfig();
    const telemetry = new Telemetry();
    heldCheck = null;
    const metrics = await replayMetrics(`http://127.0.0.1:${port}/db`, config.metrics, telemetry);
    const run = await replayFile(metrics.source(new FileSource(CAPTURE)), config, null, [], telemetry, undefined, metrics.clock);
    expect(run.summary.frames).toBeGreaterThan(0);
    await until(() => heldCheck !== null);
    expect(writes).toBe(0);
    heldCheck!();
    await expect(metrics.finish()).rejects.toThrow(/cannot be used: HTTP 401/);
    expect(writes).toBe(0);
  });
});
