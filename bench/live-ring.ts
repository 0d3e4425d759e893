/**
 * What the live capture's kernel ring holds while nothing reads it (root): `tcpreplay --pps RATE` pushes
 * 600,000 frames of the detection capture into a veth; on the peer a handle opened as LiveSource opens it
 * (snaplen 256, the ARP filter, a 32 MiB buffer) reads nothing until the replay is over, then drains the
 * ring. Immediate mode (TPACKET_V2, a fixed slot a frame) against blocks (TPACKET_V3) at block timeouts,
 * round after round. A benchmark: exits 0 whatever the figures.
 *
 *   npx tsx bench/live-ring.ts                        # 200,000 frames/s, 32 MiB, timeouts 0 10 100
 *   npx tsx bench/live-ring.ts --pps 20000 --timeouts 0,10,100 --buffer-mib 64
 */
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDetectCapture, captureParams, inventoryParams } from './detect-capture.js';
import { NetnsLab, stopChild } from '../test/e2e/netns.js';

const cli = parseArgs({ options: { pps: { type: 'string', default: '200000' }, timeouts: { type: 'string', default: '0,10,100' }, 'buffer-mib': { type: 'string', default: '32' }, rounds: { type: 'string', default: '2' } } });
const FRAMES = 600_000;
const CHILD = path.join(import.meta.dirname, 'live-ring-child.ts');

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/live-ring.ts needs root (network namespaces)');
  const { file } = ensureDetectCapture(captureParams(inventoryParams()));
  const pps = Number(cli.values.pps);
  const holdMs = Math.ceil((FRAMES / pps) * 1000) + 2_000;
  const timeouts = cli.values.timeouts.split(',').map(Number);
  console.log(`live ring: ${FRAMES.toLocaleString('en')} frames at ${pps.toLocaleString('en')}/s into a ${cli.values['buffer-mib']} MiB ring nobody reads for ${holdMs} ms`);
  const lab = new NetnsLab('ring-');
  try {
    const [src, cap] = [await lab.namespace('src'), await lab.namespace('cap')];
    await lab.veth({ ns: src, name: 'tx0' }, { ns: cap, name: 'span0' });
    for (let round = 1; round <= Number(cli.values.rounds); round++) {
      for (const timeout of timeouts) {
        const child = cap.spawn([process.execPath, '--import', 'tsx', CHILD, 'span0', String(timeout), cli.values['buffer-mib'], String(holdMs)], { maxSeconds: 120 });
        const lines: string[] = [];
        createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
        while (!lines.includes('ready')) {
          if (child.exitCode !== null) throw new Error('ring child exited before ready');
          await new Promise((r) => setTimeout(r, 50));
        }
        await src.exec(['tcpreplay', '-q', '-i', 'tx0', '--pps', String(pps), '--limit', String(FRAMES), file], { timeoutMs: 120_000 });
        await new Promise((r) => child.once('exit', r));
        await stopChild(child);
        const r = JSON.parse(lines.at(-1)!) as { frames: number; dropped: number; readNsPerFrame: number };
        const how = timeout === 0 ? 'immediate mode (TPACKET_V2)' : `blocks (TPACKET_V3), ${timeout} ms timeout`;
        console.log(`  round ${round}, ${how} (load ${os.loadavg()[0].toFixed(1)}): held ${r.frames.toLocaleString('en')} frames, kernel dropped ${r.dropped.toLocaleString('en')}; drained at ${r.readNsPerFrame.toFixed(0)} ns of CPU a frame`);
      }
    }
  } finally {
    await lab.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(`live-ring: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
