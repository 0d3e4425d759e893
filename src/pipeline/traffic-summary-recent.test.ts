import { describe, expect, it } from 'vitest';
import { ARP_REQUEST, ArpPacket } from '../decode/arp-packet.js';
import { DecodeResult } from '../decode/decode-result.js';
import { TrafficSummary } from './traffic-summary.js';

describe('the traffic summary\'s recent talkers (what a capture daemon with a page lists)', () => {
  it('rank the last minutes while the top talkers keep counting since the start; a replay (no window) has none', () => {
    const s = new TrafficSummary(20, 60e6);
    const p = new ArpPacket();
    p.op = ARP_REQUEST;
    const send = (ip: number, mac: number, n: number, from: number): void => {
      p.senderIp = ip;
      p.senderMac = mac;
      for (let i = 0; i < n; i++) {
        p.tsMicros = from + i * 1000;
        s.observe(DecodeResult.ARP, p);
      }
    };
    send(0xc0000201, 0x0cc47a000001, 5000, 0); // the router, loud at the start
    send(0xc0000202, 0x0cc47a000002, 40, 7200e6); // two hours later, a host flooding now
    expect(s.topTalkers(1)[0]).toMatchObject({ ip: 0xc0000201, frames: 5000 });
    expect(s.recentTalkers(5)).toEqual([{ ip: 0xc0000202, mac: 0x0cc47a000002, macs: 1, frames: 40 }]);
    expect(s.recent?.sinceMicros).toBe(7200e6);
    expect(new TrafficSummary(20).recentTalkers(5)).toEqual([]);
  });

  it('give a host loud only lately its own MAC, though the since-start sketch does not hold it', () => {
    const s = new TrafficSummary(20, 60e6);
    const p = new ArpPacket();
    p.op = ARP_REQUEST;
    for (let i = 0; i < 300 * 2000; i++) {
      p.senderIp = 0xc0000200 + (i % 300);
      p.senderMac = 0x0cc47a000000 + (i % 300);
      p.tsMicros = i * 10;
      s.observe(DecodeResult.ARP, p);
    }
    p.senderIp = 0xcb00710a;
    p.senderMac = 0x525400aabbcc;
    for (let i = 0; i < 500; i++) {
      p.tsMicros = 7200e6 + i * 1000;
      s.observe(DecodeResult.ARP, p);
    }
    expect(s.talkers.itemOf(0xcb00710a)).toBe(-1);
    expect(s.recentTalkers(1)).toEqual([{ ip: 0xcb00710a, mac: 0x525400aabbcc, macs: 1, frames: 500 }]);
  });
});
