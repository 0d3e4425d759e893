/**
 * An unresolved request comes back as the frame it was: its evidence line is
 * tcpdump's line for that frame, on every link type and tag depth
 * (`TZ=UTC tcpdump -tttt -nn -e -r FILE`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCapture, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import { hostFormat, insertInnerTag, tcpdumpLines } from '../../test/helpers/tcpdump.js';
import { FileSource } from '../capture/file-source.js';
import { ARP_REQUEST, ArpPacket } from '../decode/arp-packet.js';
import { decodeFrame } from '../decode/decode-frame.js';
import { DecodeResult } from '../decode/decode-result.js';
import { formatTcpdump } from '../decode/format-tcpdump.js';
import { PendingRequests } from './pending-requests.js';
import { PENDING, SenderTable } from './sender-table.js';

const CAPTURES = fileURLToPath(new URL('../../fixtures/captures/', import.meta.url));
const HOST = hostFormat();

interface Read { records: PcapRecord[]; linkType: number }

async function readRecords(file: string): Promise<Read> {
  const source = new FileSource(file);
  const records: PcapRecord[] = [];
  await source.run((frame, offset, capLen, wireLen, tsMicros) => {
    records.push({ tsMicros, frame: new Uint8Array(frame.subarray(offset, offset + capLen)), wireLen });
  });
  return { records, linkType: source.linkType };
}

/** Every request of the file through PendingRequests, none answered: the lines they expire with, and which frames they were. */
function unresolvedLines({ records, linkType }: Read): { lines: string[]; frames: number[] } {
  const senders = new SenderTable(10_000, 6, 60e6);
  const pending = new PendingRequests(10_000, senders);
  const p = new ArpPacket();
  const frames: number[] = [];
  records.forEach((r, i) => {
    if (decodeFrame(r.frame, r.frame.length, r.wireLen ?? r.frame.length, linkType, r.tsMicros, p) !== DecodeResult.ARP) return;
    if (p.op !== ARP_REQUEST) return;
    senders.now = p.tsMicros;
    senders.getOrCreate(p);
    pending.now = p.tsMicros;
    pending.add(p);
    frames.push(i);
    // another frame decoded in between must not show through what was stored
    decodeFrame(records[0].frame, records[0].frame.length, records[0].frame.length, linkType, 0, p);
  });
  const lines: string[] = [];
  pending.expire(Number.MAX_SAFE_INTEGER, 0, (req) => { lines.push(formatTcpdump(req, HOST)); });
  return { lines, frames };
}

async function expectTcpdumpLines(file: string, read: Read): Promise<number> {
  const theirs = await tcpdumpLines(file);
  expect(theirs.length).toBe(read.records.length);
  const { lines, frames } = unresolvedLines(read);
  expect(lines).toEqual(frames.map((i) => theirs[i]));
  return lines.length;
}

describe('unresolved requests print as tcpdump printed their frames', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpwarden-pending-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['arp-linux-sll.pcap', 'arp-linux-sll2.pcap', 'arp-qinq.pcap', 'arp-vlan-8021q.pcap', 'arp-untagged.pcap'])('%s', async (name) => {
    const file = join(CAPTURES, name);
    expect(await expectTcpdumpLines(file, await readRecords(file))).toBeGreaterThan(0);
  });

  it('SLL keeps the packet type (B, In, Out), SLL2 its ifindex', async () => {
    const sll = unresolvedLines(await readRecords(join(CAPTURES, 'arp-linux-sll.pcap'))).lines;
    expect(sll.some((l) => /^\S+ \S+   B /.test(l))).toBe(true);
    const sll2 = unresolvedLines(await readRecords(join(CAPTURES, 'arp-linux-sll2.pcap'))).lines;
    expect(sll2.every((l) => l.includes(' ifindex 2 '))).toBe(true);
  });

  it('three tags (arp-qinq.pcap with an inner 802.1Q tag added to every frame: QinQ + 1)', async () => {
    const qinq = await readRecords(join(CAPTURES, 'arp-qinq.pcap'));
    const p = new ArpPacket();
    const records = qinq.records.map((r) => {
      decodeFrame(r.frame, r.frame.length, r.wireLen ?? r.frame.length, qinq.linkType, r.tsMicros, p);
      const frame = insertInnerTag(r.frame, p.vlanDepth, 0x8100, (5 << 13) | 0x1000 | 777);
      return { tsMicros: r.tsMicros, frame, wireLen: (r.wireLen ?? r.frame.length) + 4 };
    });
    const file = join(dir, 'arp-qinq-plus-one.pcap');
    await writeCapture(file, 'pcap', records, { linktype: qinq.linkType });
    const read = { records, linkType: qinq.linkType };
    expect(await expectTcpdumpLines(file, read)).toBeGreaterThan(0);
    const { lines } = unresolvedLines(read);
    expect(lines.some((l) => /vlan \d+, p \d, ethertype 802\.1Q \(0x8100\), vlan \d+, p \d, ethertype 802\.1Q \(0x8100\), vlan 777, p 5, DEI, ethertype ARP/.test(l))).toBe(true);
  });
});

describe('the ring grows with the requests held (from 1,024, doubling up to the cap)', () => {
  /** request i: sender 10.0.(i >> 8).(i & 255) asking for 10.1.0.(i % 7), at time i µs */
  const request = (i: number, p = new ArpPacket()): ArpPacket => {
    p.op = ARP_REQUEST;
    p.tsMicros = i;
    p.senderIp = (0x0a000000 | i) >>> 0;
    p.targetIp = 0x0a010000 | (i % 7);
    p.senderMac = 0x020000000000 + i;
    return p;
  };

  it('keeps every request in order, with its flags, frame and sender, across growths and a wrapped ring', () => {
    const senders = new SenderTable(10_000, 6, 60e6);
    const pending = new PendingRequests(10_000, senders);
    const reply = new ArpPacket();
    const out: number[] = [];
    const check = (flags: number): void => {
      const r = pending.expiredRequest();
      // the flags were i % 251: they come back with their own request
      expect(flags).toBe(Number(BigInt(r.senderMac - 0x020000000000) % 251n));
      expect(pending.expiredSlot).toBe(senders.slotOf(r.senderIp | 0));
      out.push(r.tsMicros);
    };
    const expected: number[] = [];
    for (let i = 0; i < 6000; i++) {
      const p = request(i);
      senders.now = i;
      senders.getOrCreate(p);
      pending.now = i;
      pending.add(p, i % 251);
      // every third request is answered; from 700 to 3000 the oldest expire as new ones come (a ring of 1,024 wraps), then it grows from a wrapped head
      if (i % 3 === 0) {
        reply.op = 2; reply.senderIp = p.targetIp; reply.targetIp = p.senderIp;
        pending.answer(reply);
      } else expected.push(i);
      if (i >= 700 && i < 3000) pending.expireDue(700, check);
    }
    pending.now = 1e9;
    pending.expireDue(0, check);
    expect(out).toEqual(expected);
    expect(pending.size).toBe(0);
    expect(pending.dropped).toBe(0);
  });

  /** 198.51.100.7 asking for its gateway 198.51.100.254 at packet time `t` (µs) */
  const asker = (): { senders: SenderTable; pending: PendingRequests; ask: (t: number) => void } => {
    const senders = new SenderTable(100, 6, 60e6);
    const pending = new PendingRequests(100, senders);
    const ask = (t: number): void => {
      const p = new ArpPacket();
      p.op = ARP_REQUEST; p.tsMicros = t; p.senderIp = 0xc6336407; p.targetIp = 0xc63364fe; p.senderMac = 0x020000000007;
      senders.now = t;
      senders.getOrCreate(p);
      pending.now = t;
      pending.add(p);
    };
    return { senders, pending, ask };
  };

  it('a request answered, then the same question asked again before the first would have expired: only the second, unanswered, is unresolved', () => {
    const { senders, pending, ask } = asker();
    const reply = new ArpPacket();
    reply.op = 2; reply.senderIp = 0xc63364fe; reply.targetIp = 0xc6336407;
    ask(1_000_000);
    pending.answer(reply); // at 1.2 s: the question of 1.0 s is answered
    ask(2_000_000); // asked again (a cache refresh) within the 3 s timeout of the first
    const unresolved: number[] = [];
    pending.now = 4_500_000; // the first's timeout has passed, not the second's
    pending.expireDue(3_000_000, () => unresolved.push(pending.expiredRequest().tsMicros));
    expect(unresolved).toEqual([]);
    pending.now = 5_000_000; // the second got no reply
    pending.expireDue(3_000_000, () => unresolved.push(pending.expiredRequest().tsMicros));
    expect(unresolved).toEqual([2_000_000]);
    expect(pending.size).toBe(0);
    expect(senders.i32[senders.slotOf(0xc6336407 | 0) * senders.i32Stride + PENDING]).toBe(0);
  });

  it('a question asked twice, neither answered: both are unresolved, each at its own timeout', () => {
    const { pending, ask } = asker();
    ask(1_000_000);
    ask(2_000_000);
    const unresolved: number[] = [];
    pending.now = 4_500_000;
    pending.expireDue(3_000_000, () => unresolved.push(pending.expiredRequest().tsMicros));
    expect(unresolved).toEqual([1_000_000]);
    pending.now = 5_000_000;
    pending.expireDue(3_000_000, () => unresolved.push(pending.expiredRequest().tsMicros));
    expect(unresolved).toEqual([1_000_000, 2_000_000]);
  });

  it('drops the oldest once full at the cap', () => {
    const senders = new SenderTable(5000, 6, 60e6);
    const pending = new PendingRequests(3000, senders);
    for (let i = 0; i < 3500; i++) {
      const p = request(i);
      senders.getOrCreate(p);
      pending.add(p);
    }
    expect(pending.size).toBe(3000);
    expect(pending.dropped).toBe(500);
    const first: number[] = [];
    pending.expire(Number.MAX_SAFE_INTEGER, 0, (r) => { first.push(r.tsMicros); });
    expect(first[0]).toBe(500);
    expect(first.length).toBe(3000);
  });
});
