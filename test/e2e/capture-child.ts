/**
 * Runs a LiveSource inside a network namespace for the e2e tests:
 *
 *   ip netns exec NS node --import tsx test/e2e/capture-child.ts DEVICE SECONDS [FILTER]
 *
 * Prints JSON lines on stdout: `ready` once the capture is open, then `done`
 * with every frame (bytes and decoded fields) and the capture stats after
 * SIGTERM/SIGINT or SECONDS; or `error` (exit 2) when the capture cannot start.
 * It then exits on its own: a capture that leaves a handle open keeps it alive,
 * and the watchdog makes that visible as exit code 3.
 */
import { CaptureError } from '../../src/capture/capture-error.js';
import { LiveSource } from '../../src/capture/live-source.js';
import { ipToString, macToString } from '../../src/decode/addr.js';
import { ArpPacket } from '../../src/decode/arp-packet.js';
import { decodeFrame } from '../../src/decode/decode-frame.js';
import { DECODE_RESULT_NAMES, DecodeResult } from '../../src/decode/decode-result.js';
import { formatTcpdump } from '../../src/decode/format-tcpdump.js';
import { EXIT_LINGERING, type ChildFrame, type ChildMessage } from './capture-protocol.js';

function send(m: ChildMessage): void {
  process.stdout.write(JSON.stringify(m) + '\n');
}

function main(): void {
  const [device, secondsText, filter] = process.argv.slice(2);
  const seconds = Number(secondsText ?? '30');
  let source: LiveSource;
  try {
    source = new LiveSource(device, filter === undefined ? {} : { filter });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ type: 'error', name: err.name, message: err.message, isCaptureError: e instanceof CaptureError });
    process.exitCode = 2;
    return;
  }
  const frames: ChildFrame[] = [];
  const p = new ArpPacket();
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  // kept for good: a signal may come twice (`timeout` sends it to the child and to its group),
  // and a second one must not kill the process before it reports
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const timer = setTimeout(stop, seconds * 1000);
  const running = source.run((frame, offset, capLen, wireLen, tsMicros) => {
    const result = decodeFrame(frame, capLen, wireLen, source.linkType, tsMicros, p, offset);
    const arp = result === DecodeResult.ARP;
    frames.push({
      hex: Buffer.from(frame.buffer, frame.byteOffset + offset, capLen).toString('hex'),
      capLen, wireLen, tsMicros,
      result: DECODE_RESULT_NAMES[result],
      line: arp ? formatTcpdump(p) : null,
      arp: !arp ? null : {
        op: p.op, senderIp: ipToString(p.senderIp), targetIp: ipToString(p.targetIp),
        senderMac: macToString(p.senderMac), targetMac: macToString(p.targetMac),
        ethSrc: macToString(p.ethSrc), ethDst: macToString(p.ethDst), sllPacketType: p.sllPacketType,
        vlanDepth: p.vlanDepth, outerTpid: p.outerTpid, innerTpid: p.innerTpid,
        outerVlan: p.outerVlan, innerVlan: p.innerVlan, vlan: p.vlan,
      },
    });
  }, ac.signal);
  send({ type: 'ready', device, linkType: source.linkType, filter: source.filter });
  void running.then((stats) => {
    clearTimeout(timer);
    send({ type: 'done', linkType: source.linkType, filter: source.filter, frames, stats });
    // nothing else should keep the loop alive now: if it stays, the capture leaked a handle
    setTimeout(() => {
      process.stderr.write('capture-child: still running 0.5 s after the capture stopped (a handle was left open)\n');
      process.exit(EXIT_LINGERING);
    }, 500).unref();
  });
}

main();
