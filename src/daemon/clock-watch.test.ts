import { describe, expect, it } from 'vitest';
import { CLOCK_BEHIND_MICROS, CLOCK_REPORT_MICROS, ClockWatch } from './clock-watch.js';

describe('ClockWatch: packet time ahead of the clock', () => {
  const T = 1.8e15;
  it('says so at once, again each interval while it lasts, and once when the clock has caught up', () => {
    const w = new ClockWatch();
    // frames behind the clock (the kernel ring), or a little ahead: nothing
    expect(w.check(T - 5e6, T)).toBeNull();
    expect(w.check(T + CLOCK_BEHIND_MICROS, T)).toBeNull();
    // the clock stepped back two hours
    expect(w.check(T, T - 7200e6)).toEqual({ kind: 'behind', aheadMicros: 7200e6 });
    expect(w.check(T, T - 7199e6)).toBeNull();
    expect(w.check(T, T - 7200e6 + CLOCK_REPORT_MICROS)).toEqual({ kind: 'behind', aheadMicros: 7200e6 - CLOCK_REPORT_MICROS });
    expect(w.check(T, T - 3500e6)).toBeNull();
    expect(w.check(T + 2e6, T + 1e6)).toEqual({ kind: 'in_step' });
    expect(w.check(T + 3e6, T + 2e6)).toBeNull();
  });
});
