import { describe, expect, it } from 'vitest';
import { ARP_REQUEST, ArpPacket } from '../decode/arp-packet.js';
import { DecodeResult } from '../decode/decode-result.js';
import { TALKER_MACS, TrafficSummary } from './traffic-summary.js';

/** Frames of one sender IP from the MACs given, in that order. */
function summaryOf(macs: number[]): TrafficSummary {
  const s = new TrafficSummary();
  const p = new ArpPacket();
  p.op = ARP_REQUEST;
  p.senderIp = 0xc6336441;
  macs.forEach((mac, i) => {
    p.tsMicros = 1_000_000 + i;
    p.senderMac = mac;
    s.observe(DecodeResult.ARP, p);
  });
  return s;
}

describe('a top talker\'s MACs', () => {
  it('are the distinct MACs, not the changes: a router and a VM taking turns on one IP are 2 (fixtures/captures/portable-block-unusable.pcap: 198.51.100.65)', () => {
    const [t] = summaryOf([1, 2, 1, 2, 1, 2, 2, 1]).topTalkers(1);
    expect(t).toMatchObject({ macs: 2, frames: 8, mac: 1 });
    expect(summaryOf([5, 5, 5]).topTalkers(1)[0].macs).toBe(1);
  });

  it('stop at TALKER_MACS ("or more") however many a spoofer sends', () => {
    const many = Array.from({ length: 100 }, (_, i) => 0x525400000000 + i);
    expect(summaryOf([...many, ...many]).topTalkers(1)[0].macs).toBe(TALKER_MACS);
    expect(summaryOf(many.slice(0, TALKER_MACS - 1)).topTalkers(1)[0].macs).toBe(TALKER_MACS - 1);
  });
});
