import { describe, expect, it } from 'vitest';
import { ArpPacket } from '../decode/arp-packet.js';
import { DecodeResult } from '../decode/decode-result.js';
import { TrafficSummary } from './traffic-summary.js';

describe('TrafficSummary and frames without a valid time', () => {
  it('counts them as bad_timestamp; first, last and out-of-order come from the other frames', () => {
    const s = new TrafficSummary();
    const p = new ArpPacket();
    p.tsMicros = 1_000_000; s.observe(DecodeResult.NOT_ARP, p);
    p.tsMicros = Number.NaN; s.observe(DecodeResult.BAD_TIMESTAMP, p);
    p.tsMicros = 1e19; s.observe(DecodeResult.BAD_TIMESTAMP, p);
    p.tsMicros = 2_000_000; s.observe(DecodeResult.NOT_ARP, p);
    expect(s.frames).toBe(4);
    expect(s.malformed()).toEqual({ bad_timestamp: 2 });
    expect([s.firstTs, s.lastTs, s.framesOutOfOrder]).toEqual([1_000_000, 2_000_000, 0]);
  });
});
