import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { BUFFER_MIB, describeRange, HOURS, LINES, numberIn, SECONDS, speedOption, usageErrorLine } from './option-parsers.js';

describe('numeric options', () => {
  it('numberIn takes numbers inside the range and nothing else', () => {
    const r = { min: 0, max: 10, integer: true };
    expect(numberIn('0', r)).toBe(0);
    expect(numberIn('10', r)).toBe(10);
    expect(numberIn('11', r)).toBeNull();
    expect(numberIn('-1', r)).toBeNull();
    expect(numberIn('2.5', r)).toBeNull();
    // Number() reads these as 0, 5, 16: not numbers a user meant
    for (const t of ['', ' 5', '0x10', 'abc', 'Infinity', 'NaN', '5abc']) expect(numberIn(t, r)).toBeNull();
    expect(numberIn('2.5', { min: 0, max: 10 })).toBe(2.5);
    expect(numberIn('0', { min: 0, max: 10, minExclusive: true })).toBeNull();
  });

  it('each parser names its flag, the value and the range', () => {
    expect(LINES('0')).toBe(0);
    expect(LINES('25')).toBe(25);
    expect(() => LINES('-1')).toThrow(new InvalidArgumentError('--lines -1: expected a whole number from 0 to 1,000,000 (0: all)'));
    expect(() => LINES('abc')).toThrow(/^--lines abc: expected a whole number/);
    expect(BUFFER_MIB('2047')).toBe(2047);
    expect(() => BUFFER_MIB('2048')).toThrow('--buffer-mib 2048: expected a whole number from 1 to 2,047 MiB');
    expect(() => BUFFER_MIB('99999999')).toThrow(/^--buffer-mib 99999999: /);
    expect(SECONDS('0')).toBe(0);
    expect(SECONDS('1.5')).toBe(1.5);
    expect(() => SECONDS('2147484')).toThrow(/^--seconds 2147484: expected a number from 0 to 2,147,483 seconds/);
    expect(HOURS('0.5')).toBe(0.5);
    expect(() => HOURS('0')).toThrow('--hours 0: expected a number above 0 and up to 8,760 hours (without --hours: until unmuted)');
    expect(() => HOURS('8761')).toThrow(/^--hours 8761: /);
  });

  it('--speed: max, realtime or a factor in range', () => {
    expect(speedOption('max')).toBe('max');
    expect(speedOption('realtime')).toBe(1);
    expect(speedOption('10')).toBe(10);
    for (const t of ['0', '-2', 'warp', '0.0001', '2000000']) expect(() => speedOption(t)).toThrow(new RegExp(`^--speed ${t}: expected max, realtime or a positive factor`));
  });

  it('describeRange says the range as the user reads it', () => {
    expect(describeRange({ min: 1, max: 2047, integer: true, unit: 'MiB' })).toBe('a whole number from 1 to 2,047 MiB');
  });
});

describe('usageErrorLine', () => {
  it('keeps our message from a parser and drops commander\'s prefix', () => {
    expect(usageErrorLine("error: option '--lines <n>' argument '-1' is invalid. --lines -1: expected a whole number from 0 to 1,000,000 (0: all)\n"))
      .toBe('--lines -1: expected a whole number from 0 to 1,000,000 (0: all)');
  });
  it('says a refused choice in the same form', () => {
    expect(usageErrorLine("error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json.\n")).toBe('--format xml: expected text or json');
  });
  it('leaves commander\'s other errors as they are, without "error: "', () => {
    expect(usageErrorLine("error: missing required argument 'file'\n")).toBe("missing required argument 'file'");
  });
});
