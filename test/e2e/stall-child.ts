/**
 * A LiveSource whose loop stalls, for live-ring.test.ts: what the kernel ring holds while JavaScript
 * does not read (a long collection, a busy core).
 *
 *   ip netns exec NS node --import tsx test/e2e/stall-child.ts DEVICE BLOCK_TIMEOUT_MS STALL_MS
 *
 * Prints `{"type":"ready"}` once open; at the first frame blocks the thread STALL_MS; after SIGTERM
 * prints `{"type":"done","frames":N,"kernel":{…}}` and exits.
 */
import { LiveSource } from '../../src/capture/live-source.js';

const [device, blockText, stallText] = process.argv.slice(2);
const source = new LiveSource(device, { blockTimeoutMs: Number(blockText) });
const stallMs = Number(stallText);
const waitOn = new Int32Array(new SharedArrayBuffer(4));
let frames = 0;
const ac = new AbortController();
process.on('SIGTERM', () => ac.abort());
const running = source.run(() => {
  // the whole loop stops, as in a collection: nothing reads the ring meanwhile
  if (frames++ === 0) Atomics.wait(waitOn, 0, 0, stallMs);
}, ac.signal);
process.stdout.write(JSON.stringify({ type: 'ready' }) + '\n');
void running.then((stats) => {
  process.stdout.write(JSON.stringify({ type: 'done', frames: stats.frames, kernel: stats.kernel }) + '\n');
});
