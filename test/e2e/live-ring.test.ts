/**
 * The kernel ring of a live capture (LiveSource's TPACKET_V3 blocks): what it holds while the loop does not
 * read, and the last block at a stop. tcpreplay pushes a capture into a veth between two namespaces.
 * Needs root and tcpreplay (see netns.ts); about 15 s.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { writeCapture } from '../../fixtures/lib/pcap-writer.js';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, stopChild, type Netns } from './netns.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./stall-child.ts', import.meta.url));
/** 60-byte frames: about 50 MB of immediate mode's 336-byte slots, 23 MB of blocks; the ring is 32 MiB */
const BURST = 150_000;
const RATE = 100_000;
/** longer than the burst takes (1.5 s) */
const STALL_MS = 3_000;

interface Done { frames: number; kernel: { received: number; dropped: number } }

/** The stall child: resolves once its capture is open, with a function that stops it and returns what it saw. */
async function startChild(ns: Netns, blockTimeoutMs: number, stallMs: number): Promise<{ child: ChildProcess; stop: () => Promise<Done> }> {
  const child = ns.spawn([process.execPath, '--import', 'tsx', CHILD, 'span0', String(blockTimeoutMs), String(stallMs)], { cwd: REPO_ROOT, maxSeconds: 60 });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  createInterface({ input: child.stdout! }).on('line', (l) => { lines.push(l); wake?.(); });
  const next = async (what: string): Promise<Record<string, unknown>> => {
    const end = Date.now() + 20_000;
    while (lines.length === 0) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`stall child: no ${what}: ${stderr}`);
      await new Promise<void>((r) => { wake = r; setTimeout(r, 100); });
    }
    return JSON.parse(lines.shift()!) as Record<string, unknown>;
  };
  expect((await next('ready')).type).toBe('ready');
  return {
    child,
    stop: async () => {
      child.kill('SIGTERM');
      const done = await next('result');
      await stopChild(child, 'SIGTERM', 5_000);
      return done as unknown as Done;
    },
  };
}

describe.skipIf(availability.skip)('the live capture\'s kernel ring', () => {
  const lab = new NetnsLab();
  let src: Netns;
  let cap: Netns;
  let tmp = '';
  let burst = '';
  let few = '';

  beforeAll(async () => {
    await assertNetnsUsable(['tcpreplay']);
    await removeStaleNamespaces();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aw-e2e-ring-'));
    const frame = (i: number): Uint8Array => arpRequest({ sha: '02:00:00:00:00:01', spa: `198.51.100.${1 + (i % 250)}`, tpa: '198.51.100.254', pad: true });
    const records = (n: number) => Array.from({ length: n }, (_, i) => ({ tsMicros: 1_700_000_000_000_000 + i * 10, frame: frame(i) }));
    burst = path.join(tmp, 'burst.pcap');
    few = path.join(tmp, 'few.pcap');
    await writeCapture(burst, 'pcap', records(BURST), { linktype: 1 });
    await writeCapture(few, 'pcap', records(10), { linktype: 1 });
    src = await lab.namespace('src');
    cap = await lab.namespace('cap');
    await lab.veth({ ns: src, name: 'tx0' }, { ns: cap, name: 'span0' });
  });

  afterAll(async () => {
    await lab.cleanup();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  });

  const replay = (file: string, pps: number): Promise<unknown> => src.exec(['tcpreplay', '-q', '-i', 'tx0', '--pps', String(pps), file], { timeoutMs: 30_000 });

  it(`holds a burst of ${BURST.toLocaleString('en')} frames that comes while the loop stalls, where immediate mode's slots drop`, async () => {
    const blocks = await startChild(cap, 100, STALL_MS);
    await replay(burst, RATE);
    await new Promise((r) => setTimeout(r, STALL_MS));
    const held = await blocks.stop();
    expect(held.kernel.dropped).toBe(0);
    expect(held.frames).toBe(BURST);

    // the same with libpcap's immediate mode (TPACKET_V2): the ring's fixed slots run out
    const slots = await startChild(cap, 0, STALL_MS);
    await replay(burst, RATE);
    await new Promise((r) => setTimeout(r, STALL_MS));
    const lost = await slots.stop();
    expect(lost.kernel.dropped).toBeGreaterThan(0);
    expect(lost.frames + lost.kernel.dropped).toBe(BURST);
  }, 60_000);

  it('a stop right after the last frames still delivers them: the kernel\'s last, partly filled block is waited for', async () => {
    // a block timeout of a second: the stop comes well before the kernel would hand the block over by itself
    const c = await startChild(cap, 1000, 0);
    await replay(few, 1000);
    const done = await c.stop();
    expect(done.frames).toBe(10);
  }, 30_000);
});
