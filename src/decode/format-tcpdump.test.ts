/**
 * formatTcpdump line for line against `TZ=UTC tcpdump -tttt -nn -e -r FILE`:
 * every ARP frame of every fixture (read with FileSource, filtered as the
 * capture filter does), then a file of edge cases (tags and DEI, 0x9100,
 * three tags, target MACs, snaplen cuts, every cooked packet type, SLL2
 * interface indexes), then the differences we keep on purpose.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BROADCAST,
  TPID_8021AD,
  TPID_8021Q,
  TPID_9100,
  ZERO_MAC,
  arpPayload,
  arpReply,
  arpRequest,
  concat,
  ethernetToSll,
  ethernetToSll2,
  gratuitous,
  linuxSll,
  linuxSll2,
  probe,
  vlanTag,
} from '../../fixtures/lib/frames.js';
import { writeCapture, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import type { ManifestEntry } from '../../fixtures/lib/spec.js';
import { hostIfNames, tcpdumpLines } from '../../test/helpers/tcpdump.js';
import { arpFilterFor } from '../capture/bpf.js';
import { FileSource } from '../capture/file-source.js';
import { tcpdumpTime } from '../common/time.js';
import { ArpPacket } from './arp-packet.js';
import { decodeFrame, reachedArp } from './decode-frame.js';
import { DecodeResult } from './decode-result.js';
import { formatTcpdump, type FormatTcpdumpOptions } from './format-tcpdump.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as ManifestEntry[];
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;

const IF_NAMES = hostIfNames();
const HOST: FormatTcpdumpOptions = { ifName: (i) => IF_NAMES.get(i) };
const tcpdump = tcpdumpLines;

interface Read {
  result: DecodeResult;
  tsMicros: number;
  vlanDepth: number;
  /** formatTcpdump's line, for ARP */
  line: string | null;
}

/** Every frame of the file through FileSource and decodeFrame, as the pipeline reads it. */
async function readAndFormat(file: string, options: FormatTcpdumpOptions = HOST): Promise<{ linkType: number; frames: Read[] }> {
  const source = new FileSource(file);
  const p = new ArpPacket();
  const frames: Read[] = [];
  await source.run((frame, offset, capLen, wireLen, tsMicros) => {
    const result = decodeFrame(frame, capLen, wireLen, source.linkType, tsMicros, p, offset);
    frames.push({ result, tsMicros, vlanDepth: p.vlanDepth, line: result === DecodeResult.ARP ? formatTcpdump(p, options) : null });
  });
  return { linkType: source.linkType, frames };
}

describe('every ARP frame of the fixtures reads as tcpdump prints it', () => {
  it.each(manifest.map((e) => [e.file, e.linktype] as const))('%s (link type %i)', async (file, linkType) => {
    const path = join(FIXTURES, 'captures', file);
    const filter = arpFilterFor(linkType);
    const [ours, theirs] = await Promise.all([readAndFormat(path), tcpdump(path, filter)]);
    expect(ours.linkType).toBe(linkType);
    // what the capture filter passes: the ARP ethertype under at most two tags (cooked: untagged)
    const matched = ours.frames.filter((f) => reachedArp(f.result) && f.vlanDepth <= (linkType === 1 ? 2 : 0));
    expect(matched.length).toBe(theirs.length);
    let compared = 0;
    matched.forEach((f, i) => {
      expect(theirs[i].startsWith(`${tcpdumpTime(f.tsMicros)} `), `frame ${i}: ${theirs[i]}`).toBe(true);
      if (f.line === null) return; // a malformed ARP body: tcpdump prints what it can, we print nothing
      expect(f.line).toBe(theirs[i]);
      compared++;
    });
    expect(compared).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- edge cases

const ME = { mac: '0c:c4:7a:11:22:33', ip: '203.0.113.10' };
const GW = { mac: '00:00:5e:00:01:01', ip: '203.0.113.254' };
const VM = { mac: '02:00:00:aa:bb:cc', ip: '198.51.100.8' };
const req = (o: Partial<Parameters<typeof arpRequest>[0]> = {}): Uint8Array => arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip, ...o });
const body = arpPayload({ op: 1, sha: VM.mac, spa: VM.ip, tha: ZERO_MAC, tpa: '198.51.100.254' });
const tagBytes = (...tci: number[]): Uint8Array => concat(...tci.map((t, i) => Uint8Array.of(t >>> 8, t & 255, ...(i + 1 < tci.length ? [0x81, 0x00] : [0x08, 0x06]))));

/** Frames tcpdump and formatTcpdump must print alike, and the µs of their timestamps. */
const ETHERNET_CASES: PcapRecord[] = [
  req(),
  req({ tha: GW.mac, dst: GW.mac }),
  req({ tha: BROADCAST }),
  req({ pad: true }),
  arpReply({ sha: GW.mac, spa: GW.ip, tha: ME.mac, tpa: ME.ip, pad: true }),
  gratuitous({ sha: VM.mac, ip: VM.ip }),
  gratuitous({ sha: VM.mac, ip: VM.ip, reply: true, pad: true }),
  probe({ sha: VM.mac, tpa: VM.ip }),
  req({ tags: [vlanTag(TPID_8021Q, 300, 5, true)] }),
  req({ tags: [vlanTag(TPID_8021Q, 0, 0)] }),
  req({ tags: [vlanTag(TPID_8021Q, 4095, 7, true)], pad: true }),
  req({ tags: [vlanTag(TPID_8021AD, 1000, 1)] }),
  req({ tags: [vlanTag(TPID_9100, 1000, 1, true)] }),
  req({ tags: [vlanTag(TPID_8021AD, 1000, 1, true), vlanTag(TPID_8021Q, 100, 2, true)] }),
  req({ tags: [vlanTag(TPID_9100, 2001, 4), vlanTag(TPID_8021Q, 100, 6)], tha: GW.mac }),
  req({ tags: [vlanTag(TPID_8021Q, 10), vlanTag(TPID_8021Q, 20)] }),
  req({ tags: [vlanTag(TPID_8021AD, 10), vlanTag(TPID_8021Q, 20, 3), vlanTag(TPID_9100, 30, 0, true)] }),
  req({ tags: Array.from({ length: 8 }, (_, i) => vlanTag(i % 2 ? TPID_8021Q : TPID_8021AD, 100 + i, i)) }),
  arpReply({ sha: GW.mac, spa: GW.ip, tha: ME.mac, tpa: ME.ip, src: ZERO_MAC, dst: BROADCAST }),
].map((frame, i) => ({ tsMicros: T0 + i * 1_000_001 + (i === 3 ? 999_999 : 0), frame }));
// a snaplen of 42 on a padded frame, and of 46 on a padded tagged one: the lengths are the wire's
ETHERNET_CASES.push({ tsMicros: T0 + 60_000_000, frame: req({ pad: true }).subarray(0, 42), wireLen: 60 });
ETHERNET_CASES.push({ tsMicros: T0 + 61_000_000, frame: req({ pad: true, tags: [vlanTag(TPID_8021Q, 100)] }).subarray(0, 46), wireLen: 64 });

const SLL_CASES: PcapRecord[] = [
  ...[0, 1, 2, 3, 4, 5, 6, 7, 0x1234].map((packetType) => linuxSll({ packetType, protocol: 0x0806, payload: body, addr: VM.mac })),
  ethernetToSll(req({ pad: true }), 1),
  ethernetToSll(arpReply({ sha: GW.mac, spa: GW.ip, tha: ME.mac, tpa: ME.ip }), 4),
  linuxSll({ packetType: 4, protocol: 0x0806, payload: body }),
  linuxSll({ packetType: 0, protocol: 0x0806, payload: body, addr: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }),
  linuxSll({ packetType: 0, protocol: 0x0806, payload: body, addr: VM.mac, hatype: 772 }),
  linuxSll({ packetType: 4, protocol: 0x8100, payload: concat(tagBytes(0x3064), body), addr: VM.mac }),
  linuxSll({ packetType: 1, protocol: 0x8100, payload: concat(tagBytes(0x3064, 0xe005), body), addr: VM.mac }),
].map((frame, i) => ({ tsMicros: T0 + i * 1000, frame }));

const SLL2_CASES: PcapRecord[] = [
  ...[0, 1, 2, 3, 4, 5, 7, 200].map((packetType) => linuxSll2({ packetType, protocol: 0x0806, payload: body, addr: VM.mac, ifindex: 1 })),
  ...[...IF_NAMES.keys(), 99_999, 0x80000001].map((ifindex) => linuxSll2({ packetType: 0, protocol: 0x0806, payload: body, addr: VM.mac, ifindex })),
  ethernetToSll2(req({ pad: true }), 1, 2),
  linuxSll2({ packetType: 4, protocol: 0x0806, payload: body, ifindex: 2 }),
  linuxSll2({ packetType: 4, protocol: 0x8100, payload: concat(tagBytes(0x3064), body), addr: VM.mac, ifindex: 2 }),
  linuxSll2({ packetType: 4, protocol: 0x8100, payload: concat(tagBytes(0x3064, 0x0005), body), addr: VM.mac, ifindex: 2 }),
].map((frame, i) => ({ tsMicros: T0 + i * 1000, frame }));

describe('edge cases, against tcpdump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpwarden-format-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['ethernet', 1, ETHERNET_CASES],
    ['linux-sll', 113, SLL_CASES],
    ['linux-sll2', 276, SLL2_CASES],
  ] as const)('%s: every frame prints as tcpdump prints it', async (name, linktype, records) => {
    const file = join(dir, `${name}.pcap`);
    await writeCapture(file, 'pcap', records, { linktype });
    const [ours, theirs] = await Promise.all([readAndFormat(file), tcpdump(file)]);
    expect(ours.frames.map((f) => f.result)).toEqual(records.map(() => DecodeResult.ARP));
    expect(ours.frames.map((f) => f.line)).toEqual(theirs);
  });

  it('SLL2 without a name for the ifindex: `?`, as tcpdump prints an index it cannot name', async () => {
    const file = join(dir, 'sll2-unnamed.pcap');
    await writeCapture(file, 'pcap', [{ tsMicros: T0, frame: linuxSll2({ packetType: 4, protocol: 0x0806, payload: body, addr: VM.mac, ifindex: 99_999 }) }], { linktype: 276 });
    const [theirs] = await tcpdump(file);
    const [unnamed] = (await readAndFormat(file, {})).frames;
    expect(unnamed.line).toBe(theirs);
    expect(unnamed.line).toBe('2026-11-02 09:00:00.000000 ?     Out ifindex 99999 02:00:00:aa:bb:cc ethertype ARP (0x0806), length 48: Request who-has 198.51.100.254 tell 198.51.100.8, length 28');
    const [named] = (await readAndFormat(file, { ifName: (i) => (i === 99_999 ? 'bond0.100' : undefined) })).frames;
    expect(named.line).toBe('2026-11-02 09:00:00.000000 bond0.100 Out ifindex 99999 02:00:00:aa:bb:cc ethertype ARP (0x0806), length 48: Request who-has 198.51.100.254 tell 198.51.100.8, length 28');
  });
});

describe('differences kept on purpose', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpwarden-format-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cooked capture with a 6-byte source of 00:00:00:00:00:00: tcpdump prints it, we print no address (0 means none)', async () => {
    const file = join(dir, 'sll-zero.pcap');
    await writeCapture(file, 'pcap', [{ tsMicros: T0, frame: linuxSll({ packetType: 0, protocol: 0x0806, payload: body, addr: ZERO_MAC }) }], { linktype: 113 });
    const [theirs] = await tcpdump(file);
    const [ours] = (await readAndFormat(file)).frames;
    expect(theirs).toBe('2026-11-02 09:00:00.000000  In 00:00:00:00:00:00 ethertype ARP (0x0806), length 44: Request who-has 198.51.100.254 tell 198.51.100.8, length 28');
    expect(ours.line).toBe('2026-11-02 09:00:00.000000  In ethertype ARP (0x0806), length 44: Request who-has 198.51.100.254 tell 198.51.100.8, length 28');
  });

  it('cooked capture with an 802.1ad tag: tcpdump peels only 0x8100 there and dumps the rest in hex; we print the tags', async () => {
    const file = join(dir, 'sll-88a8.pcap');
    const frame = linuxSll({ packetType: 4, protocol: TPID_8021AD, payload: concat(Uint8Array.of(0x03, 0xe8, 0x81, 0x00), tagBytes(0x0064), body), addr: VM.mac });
    await writeCapture(file, 'pcap', [{ tsMicros: T0, frame }], { linktype: 113 });
    const [theirs] = await tcpdump(file);
    const [ours] = (await readAndFormat(file)).frames;
    expect(theirs).toBe('2026-11-02 09:00:00.000000 Out 02:00:00:aa:bb:cc ethertype 802.1Q-QinQ (0x88a8), length 52: ');
    expect(ours.line).toBe('2026-11-02 09:00:00.000000 Out 02:00:00:aa:bb:cc ethertype 802.1Q-QinQ (0x88a8), length 52: vlan 1000, p 0, ethertype 802.1Q, vlan 100, p 0, ethertype ARP, Request who-has 198.51.100.254 tell 198.51.100.8, length 28');
  });
});

describe('packets not straight from the decoder', () => {
  it('a packet rebuilt from outer/inner fields only (tags left empty) prints as decoded', () => {
    const frame = req({ tags: [vlanTag(TPID_9100, 2001, 4, true), vlanTag(TPID_8021Q, 100, 6)], tha: GW.mac });
    const decoded = new ArpPacket();
    expect(decodeFrame(frame, frame.length, frame.length, 1, T0, decoded)).toBe(DecodeResult.ARP);
    const rebuilt = new ArpPacket();
    Object.assign(rebuilt, {
      tsMicros: T0, wireLen: frame.length, linkType: 1, ethSrc: decoded.ethSrc, ethDst: decoded.ethDst,
      vlanDepth: 2, outerTpid: 0x9100, outerTci: decoded.outerTci, innerTpid: 0x8100, innerTci: decoded.innerTci,
      op: 1, senderMac: decoded.senderMac, senderIp: decoded.senderIp, targetMac: decoded.targetMac, targetIp: decoded.targetIp,
    });
    expect(formatTcpdump(rebuilt)).toBe(formatTcpdump(decoded));
    expect(formatTcpdump(rebuilt)).toBe('2026-11-02 09:00:00.000000 0c:c4:7a:11:22:33 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q-9100 (0x9100), length 50: vlan 2001, p 4, DEI, ethertype 802.1Q (0x8100), vlan 100, p 6, ethertype ARP (0x0806), Request who-has 203.0.113.254 (00:00:5e:00:01:01) tell 203.0.113.10, length 28');
  });

  it('a copy prints as the original, three tags included', () => {
    const frame = req({ tags: [vlanTag(TPID_8021AD, 10), vlanTag(TPID_8021Q, 20), vlanTag(TPID_8021Q, 30)] });
    const p = new ArpPacket();
    decodeFrame(frame, frame.length, frame.length, 1, T0, p);
    expect(formatTcpdump(new ArpPacket().copyFrom(p))).toBe(formatTcpdump(p));
    expect(formatTcpdump(p)).toContain('vlan 10, p 0, ethertype 802.1Q (0x8100), vlan 20, p 0, ethertype 802.1Q (0x8100), vlan 30, p 0, ethertype ARP (0x0806), Request');
  });
});
