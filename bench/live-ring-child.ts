/**
 * For bench/live-ring.ts, inside the capture namespace: opens DEVICE as LiveSource does (BLOCK_TIMEOUT_MS 0:
 * immediate mode), reads nothing for HOLD_MS while the replay fills the kernel ring, then drains it and prints
 * one JSON line: frames the ring held, the kernel's counters, and the CPU the drain took per frame.
 */
import { arpFilterFor } from '../src/capture/bpf.js';
import { FrameBatch, pcap } from '../src/capture/native-capture.js';
import { LIVE_DEFAULTS } from '../src/capture/live-source.js';

const [device, blockText, mibText, holdText] = process.argv.slice(2);
const opened = pcap.openLive(device, LIVE_DEFAULTS.snapLen, true, Number(mibText) * 1048576, Number(blockText));
pcap.setFilter(opened.handle, arpFilterFor(opened.linkType));
const { data, meta } = new FrameBatch(opened.snapLen, 4096);
console.log('ready');
setTimeout(() => {
  let frames = 0;
  const cpu = process.cpuUsage();
  for (let n = pcap.readBatch(opened.handle, data, meta); n > 0; n = pcap.readBatch(opened.handle, data, meta)) frames += n;
  const used = process.cpuUsage(cpu);
  const kernel = pcap.stats(opened.handle);
  pcap.close(opened.handle);
  console.log(JSON.stringify({ frames, received: kernel.received, dropped: kernel.dropped, readNsPerFrame: ((used.user + used.system) * 1000) / Math.max(frames, 1) }));
}, Number(holdText));
