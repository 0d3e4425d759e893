import { describe, expect, it } from 'vitest';
import { HeavyHitters } from './heavy-hitters.js';

/** A small deterministic generator (xorshift32), so a failing run can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

describe('HeavyHitters (Space-Saving)', () => {
  it('counts exactly while the IPs fit, most counted first, ties by IP', () => {
    const hh = new HeavyHitters(8);
    const stream = [3, 1, 3, 2, 3, 1, 0xc0000201, 0xc0000201, 0xc0000201, 0xc0000201];
    for (const ip of stream) hh.hit(ip);
    hh.checkInvariant();
    expect(hh.size).toBe(4);
    expect(hh.total).toBe(10);
    const top = hh.top(10).map((i) => [hh.ip(i), hh.counts[i], hh.errors[i]]);
    expect(top).toEqual([[0xc0000201, 4, 0], [3, 3, 0], [1, 2, 0], [2, 1, 0]]);
  });

  it('top(n): most counted first, runs of ties by IP (high IPs included), the n-th\'s ties cut at n', () => {
    const hh = new HeavyHitters(512);
    const next = rng(7);
    const truth = new Map<number, number>();
    // 400 IPs, counts 1..5: long runs of ties, IPs across the whole 32-bit range
    for (let i = 0; i < 400; i++) {
      const ip = next();
      const c = 1 + (next() % 5);
      for (let k = 0; k < c; k++) hh.hit(ip);
      truth.set(ip, (truth.get(ip) ?? 0) + c);
    }
    const want = [...truth].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([ip]) => ip);
    for (const n of [1, 7, 80, 399, 400, 1000]) expect(hh.top(n).map((i) => hh.ip(i))).toEqual(want.slice(0, n));
  });

  it('gives the least counted item to a new IP, sometimes (probability 1 / (its count + 1)), its count as the new one\'s error', () => {
    const hh = new HeavyHitters(2);
    hh.hit(10); hh.hit(10); hh.hit(20);
    // 20 (count 1) is the least counted: 30 takes its place at a draw of 1/2, and until then is not held
    let tries = 0;
    let item = -1;
    while (item < 0) {
      item = hh.hit(30);
      tries++;
      if (item < 0) expect(hh.itemOf(30)).toBe(-1);
      expect(tries).toBeLessThan(40);
    }
    expect(hh.fresh).toBe(true);
    expect(hh.itemOf(20)).toBe(-1);
    expect(hh.ip(item)).toBe(30);
    expect(hh.counts[item]).toBe(2);
    expect(hh.errors[item]).toBe(1);
    hh.hit(30);
    expect(hh.fresh).toBe(false);
    expect(hh.counts[item] - hh.errors[item]).toBe(2);
    hh.checkInvariant();
  });

  it('keeps its invariant on a random skewed stream: the frequent IPs held, each count since admission exact or below the truth', () => {
    const next = rng(7);
    const hh = new HeavyHitters(50);
    const truth = new Map<number, number>();
    for (let i = 0; i < 200_000; i++) {
      // half the frames from 20 IPs, the other half spread over 5,000
      const r = next();
      const ip = (r % 1000) < 500 ? r % 20 : r % 5000;
      hh.hit(ip);
      truth.set(ip, (truth.get(ip) ?? 0) + 1);
      if (i % 20_011 === 0) hh.checkInvariant();
    }
    hh.checkInvariant();
    for (const item of hh.top(50)) expect(hh.counts[item] - hh.errors[item]).toBeLessThanOrEqual(truth.get(hh.ip(item)) ?? 0);
    // the 20 frequent ones (about 5,000 frames each, the others about 20) are the top 20
    const top = hh.top(20).map((i) => hh.ip(i));
    expect(new Set(top)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i)));
    for (const item of hh.top(20)) {
      const t = truth.get(hh.ip(item))!;
      expect(hh.counts[item] - hh.errors[item]).toBeGreaterThan(0.9 * t);
    }
  });

  it('stays bounded under a flood of 1,000,000 spoofed senders and still finds the true heavy hitters', () => {
    const next = rng(42);
    const capacity = 160;
    const hh = new HeavyHitters(capacity);
    const heavy = [0xcb007101, 0xcb007102, 0xcb007103, 0xcb007104, 0xcb007105];
    const heavyTruth = new Map<number, number>(heavy.map((ip) => [ip, 0]));
    let frames = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // each real heavy hitter sends 2 % of the frames, the rest come from a new random (spoofed) IP each
      const r = next();
      const pick = r % 100;
      const ip = pick < 10 ? heavy[pick >> 1] : next();
      if (pick < 10) heavyTruth.set(ip, heavyTruth.get(ip)! + 1);
      hh.hit(ip);
      frames++;
    }
    hh.checkInvariant();
    expect(hh.size).toBe(capacity);
    expect(hh.total).toBe(frames);
    const top = hh.top(heavy.length).map((i) => hh.ip(i));
    expect(new Set(top)).toEqual(new Set(heavy));
    for (const ip of heavy) {
      const item = hh.itemOf(ip);
      const t = heavyTruth.get(ip)!;
      // counted since admitted: exact, and admitted early (a frequent IP wins a draw soon)
      expect(hh.counts[item] - hh.errors[item]).toBeLessThanOrEqual(t);
      expect(hh.counts[item] - hh.errors[item]).toBeGreaterThan(0.95 * t);
    }
    // most spoofed senders never got in: replacing an IP per frame is what the admission avoids
    expect(hh.total - hh.top(capacity).reduce((n, i) => n + hh.counts[i] - hh.errors[i], 0)).toBeGreaterThan(0.8 * (frames - 100_000));
  });
});
