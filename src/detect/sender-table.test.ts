import { describe, expect, it } from 'vitest';
import { ArpPacket } from '../decode/arp-packet.js';
import { PeriodSets } from './persistence.js';
import { COUNTS, F64_FIELDS, HEAD, IP, LAST_SEEN, MAC, PENDING, PREVIOUS_MAC, SenderTable } from './sender-table.js';

function from(ip: number, mac: number): ArpPacket {
  const p = new ArpPacket();
  p.senderIp = ip;
  p.senderMac = mac;
  return p;
}

describe('SenderTable', () => {
  it('holds, once full, exactly the bytes per sender its layout says (the memory benchmark reads both)', () => {
    const max = 5000;
    const t = new SenderTable(max, 6, 60e6);
    const empty = t.byteSize;
    for (let i = 0; i < max; i++) t.getOrCreate(from((0x64400000 + i * 13) >>> 0, 0x0cc47a000000 + i));
    expect(t.size).toBe(max);
    expect(t.byteSize).toBeGreaterThan(empty);
    expect(t.byteSize).toBeCloseTo(SenderTable.bytesPerSender(max, 6) * max, 3);
    expect(SenderTable.bytesPerSender(100_000, 6)).toBeLessThanOrEqual(200);
  });

  it('finds every sender again past its first capacity (the records and the hash grown), IPs above 2^31 included', () => {
    const t = new SenderTable(5000, 6, 60e6);
    const slots = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const ip = (0xc6336400 + i * 7919) >>> 0;
      const s = t.getOrCreate(from(ip, 0x0cc47a000000 + i));
      expect(t.created).toBe(true);
      slots.set(ip, s);
      t.f64[s * t.f64Stride + MAC] = 0x0cc47a000000 + i;
    }
    expect(t.size).toBe(3000);
    for (const [ip, s] of slots) {
      expect(t.slotOf(ip | 0)).toBe(s);
      expect(t.ip(s)).toBe(ip);
      expect(t.getOrCreate(from(ip, 0))).toBe(s);
      expect(t.created).toBe(false);
    }
    const [ip0, s0] = [...slots][0];
    expect(t.f64[s0 * t.f64Stride + MAC]).toBe(0x0cc47a000000);
    expect(t.i32[s0 * t.i32Stride + IP]).toBe(ip0 | 0);
  });

  it('when full, sweeps the idle senders without a pending request, and counts the ones it cannot track', () => {
    const t = new SenderTable(100, 6, 60e6);
    for (let i = 0; i < 100; i++) t.getOrCreate(from(1000 + i, 1));
    // sender 1000 has a question pending: never swept
    t.i32[t.slotOf(1000) * t.i32Stride + PENDING] = 1;
    t.now = 10e6;
    expect(t.getOrCreate(from(5000, 1))).toBe(-1); // nobody idle yet
    expect(t.untracked).toBe(1);
    t.now = 70e6;
    const s = t.getOrCreate(from(5001, 1));
    expect(s).toBeGreaterThanOrEqual(0);
    expect(t.evicted).toBe(99);
    expect(t.size).toBe(2);
    expect(t.slotOf(1000)).toBeGreaterThanOrEqual(0);
    expect(t.slotOf(1001)).toBe(-1);
  });

  it('a slot given to another sender starts clean: counters, MACs, head, persistence set released', () => {
    const periods = new PeriodSets(1, 30);
    const t = new SenderTable(100, 6, 1e6, periods);
    const a = t.getOrCreate(from(1, 0xa));
    expect(t.seeMac(a, from(1, 0xa), 4)).toBe(false);
    expect(t.seeMac(a, from(1, 0xb), 4)).toBe(true);
    expect(t.distinctMacs(a)).toBe(2);
    t.counts[a * t.u16Stride + COUNTS] = 5;
    t.f64[a * t.f64Stride + HEAD] = 123;
    t.persist[a] = periods.alloc();
    // the others were seen lately: only `a` is idle
    for (let i = 0; i < 99; i++) t.f64[t.getOrCreate(from(100 + i, 1)) * t.f64Stride + LAST_SEEN] = 9.5e6;
    t.now = 10e6;
    t.sweep(t.now);
    expect(t.evicted).toBe(1);
    expect(periods.size).toBe(0);
    const b = t.getOrCreate(from(2, 0xc));
    expect(b).toBe(a);
    expect(t.counts[b * t.u16Stride + COUNTS]).toBe(0);
    expect(t.f64[b * t.f64Stride + HEAD]).toBe(-1);
    expect(t.f64[b * t.f64Stride + PREVIOUS_MAC]).toBe(0);
    expect(t.distinctMacs(b)).toBe(0);
    expect(t.persist[b]).toBe(-1);
    expect(F64_FIELDS).toBe(7);
  });

  it('ipsWithin: the tracked senders of a range, ascending, by lookups (a small range) or by a pass over the slots (a wide one)', () => {
    const t = new SenderTable(1000, 6, 60e6);
    // a portable block above 2^31 (198.51.100.64/29) and senders around it, in no order; one swept out since
    const block = 0xc6336440;
    t.getOrCreate(from(block + 5, 1));
    t.sweep(1e9);
    for (const ip of [block + 7, block + 2, block - 1, block + 8, block + 3, 0x0a000001]) t.getOrCreate(from(ip, 1));
    expect(t.size).toBe(6);
    const want = [block + 2, block + 3, block + 7];
    // 8 addresses > 6 senders: the pass over the slots; 3 addresses: lookups
    expect(t.ipsWithin(block, block + 7)).toEqual(want);
    expect(t.ipsWithin(block + 2, block + 4)).toEqual([block + 2, block + 3]);
    expect(t.ipsWithin(block + 4, block + 6)).toEqual([]);
    expect(t.ipsWithin(0, 0xffffffff)).toEqual([0x0a000001, block - 1, ...want, block + 8]);
  });

  it('holds at most 200 bytes per sender at the default cap', () => {
    expect(SenderTable.bytesPerSender(100_000, 6)).toBeLessThanOrEqual(200);
  });
});
