/**
 * LiveSource's arguments, checked before the addon sees them: nothing cut short, nothing wrapped.
 * The filters that open a handle need root (on `lo`); the refusals do not.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../common/user-error.js';
import { CaptureError } from './capture-error.js';
import { LiveSource } from './live-source.js';
import { MAX_FILTER_BYTES } from './native-capture.js';

const root = process.getuid?.() === 0;

function refusal(f: () => unknown): CaptureError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).not.toMatch(/[\r\n]/);
    return e as CaptureError;
  }
  return expect.fail('accepted');
}

/** A filter that compiles, `n` bytes or a little more. */
function longFilter(n: number): string {
  const parts = ['arp'];
  for (let i = 0; parts.join(' and ').length < n; i++) parts.push(`not host 192.0.2.${i % 250}`);
  return parts.join(' and ');
}

describe('LiveSource arguments', () => {
  it('a filter longer than the addon takes is refused whole, by its length, not echoed', () => {
    const filter = longFilter(MAX_FILTER_BYTES + 10);
    const e = refusal(() => new LiveSource('lo', { filter }));
    expect(e.message).toMatch(/^filter: [\d,]+ bytes, more than the 65,536 a capture filter may have$/);
  });

  it('a filter with a NUL (C would cut it there) is refused', () => {
    expect(refusal(() => new LiveSource('lo', { filter: 'arp\0 or ip' })).message).toBe('filter: contains a NUL character');
  });

  it.each([2 ** 31, 2 ** 32 + 5, 0, -1, 1.5])('a kernel buffer of %d bytes is refused, not wrapped', (bufferBytes) => {
    expect(refusal(() => new LiveSource('lo', { bufferBytes })).message).toMatch(/^capture buffer: .* bytes: expected 1 to 2147483647/);
  });

  it.each([-1, 1.5, 1001])('a block timeout of %d ms is refused (frames would wait past the live clock\'s lag)', (blockTimeoutMs) => {
    expect(refusal(() => new LiveSource('lo', { blockTimeoutMs })).message).toMatch(/^block timeout: .* ms: expected 0 to 1000$/);
  });

  it('an interface name longer than any is refused in one short line', () => {
    const e = refusal(() => new LiveSource('x'.repeat(5000)));
    expect(e.message.length).toBeLessThan(120);
  });

  it.runIf(root)('a filter over 4,095 bytes (the old cut) is compiled whole, as written', () => {
    const filter = longFilter(6000);
    expect(filter.length).toBeGreaterThan(4095);
    const source = new LiveSource('lo', { filter });
    expect(source.filter).toBe(filter);
    source.close();
  });

  it.runIf(root)('a filter libpcap cannot compile: one line naming it by its length when long', () => {
    const e = refusal(() => new LiveSource('lo', { filter: `${longFilter(5000)} and bogus(` }));
    expect(e.message).toMatch(/^filter \(\d+ bytes\): /);
  });
});
