import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoMicros, tcpdumpTime } from './time.js';

describe('packet time as text', () => {
  it('agrees with Date to the millisecond and keeps the microseconds', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4102444800 * 1e6 }), (ts) => {
      const iso = isoMicros(ts);
      expect(iso.slice(0, 23) + 'Z').toBe(new Date(Math.floor(ts / 1000)).toISOString());
      expect(iso.slice(23, 26)).toBe(String(ts % 1000).padStart(3, '0'));
    }), { numRuns: 2000 });
  });

  it('prints as tcpdump -tttt does', () => {
    expect(tcpdumpTime(Date.UTC(2026, 10, 2, 9, 1, 6) * 1000 + 556706)).toBe('2026-11-02 09:01:06.556706');
    expect(isoMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
  });
});
