import { describe, expect, it } from 'vitest';
import { PeriodSets } from '../detect/persistence.js';
import { persistentQuietMicros } from './persistent-quiet.js';

describe('persistentQuietMicros', () => {
  it('the defaults (5 periods of 60 s in 1800 s): 8 minutes, events up to 7 periods apart staying persistent', () => {
    expect(persistentQuietMicros({ periodSeconds: 60, periods: 5, horizonSeconds: 1800 })).toBe(480e6);
  });

  it('matches the detector\'s period sets: the largest steady gap that stays persistent fits in it, one more period does not', () => {
    for (const [periods, horizon] of [[5, 30], [2, 2], [3, 64], [30, 30], [7, 45]]) {
      const quiet = persistentQuietMicros({ periodSeconds: 1, periods, horizonSeconds: horizon }) / 1e6;
      const steady = (gap: number): boolean => {
        const sets = new PeriodSets(1, horizon);
        const set = sets.alloc();
        let n = 0;
        for (let i = 0; i < 4 * horizon; i++) n = sets.add(set, 0, 1000 + i * gap);
        return n >= periods;
      };
      expect(steady(quiet - 1), `P=${periods} H=${horizon}`).toBe(true);
      expect(steady(quiet), `P=${periods} H=${horizon}`).toBe(false);
    }
  });
});
