import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validationMessages } from '../common/validation-messages.js';
import { configSchema, MAX_TIMER_SECONDS } from './schema.js';

/** Every number of a schema, dotted, with the zod number itself (the object's keys through defaults, pipes, optionals). */
function numberKeys(schema: z.ZodType, prefix: string): [string, z.ZodNumber][] {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else break;
  }
  if (s instanceof z.ZodNumber) return [[prefix, s]];
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => numberKeys(v, prefix === '' ? k : `${prefix}.${k}`));
}

function at(key: string, value: unknown): Record<string, unknown> {
  return key.split('.').reduceRight<unknown>((inner, k) => ({ [k]: inner }), value) as Record<string, unknown>;
}

const issuesAt = (key: string, value: unknown): string[] =>
  (configSchema.safeParse(at(key, value), { error: validationMessages }).error?.issues ?? [])
    .filter((i) => i.path.join('.') === key).map((i) => i.message);

describe('every number the configuration accepts has an upper bound the code handles', () => {
  const keys = numberKeys(configSchema, '');

  it('walks every numeric key (a check of the walk)', () => {
    expect(keys.map(([k]) => k)).toEqual(expect.arrayContaining(['detector.max_pending', 'queue.buffer', 'smtp.timeout_seconds', 'queue.stalled_seconds', 'metrics.buffer', 'detector.thresholds.excessive_arp']));
    expect(keys.length).toBeGreaterThan(30);
  });

  it.each(numberKeys(configSchema, '').map(([k, n]) => [k, n.maxValue] as const))('%s: at most %s, the limit in the message', (key, max) => {
    // zod's int() alone bounds by MAX_SAFE_INTEGER: not a bound the code handles
    expect(Number.isFinite(max) && (max as number) < Number.MAX_SAFE_INTEGER).toBe(true);
    const above = (max as number) + 1;
    expect(issuesAt(key, above)).toContain(`${above} is too large: at most ${max}`);
  });

  it.each([
    // the values issue 14 found accepted and mishandled
    ['detector.max_pending', 536_870_913, 10_000_000],
    ['queue.buffer', 1e9, 1_000_000],
    ['smtp.timeout_seconds', 2 ** 31 / 1000 + 1, MAX_TIMER_SECONDS],
    ['queue.stalled_seconds', 2 ** 31 / 1000, MAX_TIMER_SECONDS],
  ] as const)('%s %s is refused (at most %s)', (key, value, max) => {
    expect(issuesAt(key, value)).toEqual([`${value} is too large: at most ${max}`]);
  });

  it('timers stay within what setTimeout can wait: 2^31-1 ms', () => {
    expect(MAX_TIMER_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    for (const [key, n] of keys) if (key.endsWith('_seconds')) expect([key, (n.maxValue as number) * 1000 <= 2 ** 31 - 1]).toEqual([key, true]);
  });
});

describe('queue.redis_url', () => {
  it.each([
    ['localhost:6379', 'expected redis://host:port or rediss://host:port'],
    ['redis://h:6379/abc', 'database "/abc": expected a number from 0 to 15 (redis://host:port/2)'],
    ['redis://h:6379/99', 'database "/99": expected a number from 0 to 15 (redis://host:port/2)'],
    ['redis://h:6379/1/2', 'database "/1/2": expected a number from 0 to 15 (redis://host:port/2)'],
    ['redis://h:0', 'port 0: expected 1 to 65535'],
    ['redis://h:99999', 'not a URL: expected redis://[user:pass@]host:port[/db]'],
    ['redis://:6379', 'not a URL: expected redis://[user:pass@]host:port[/db]'],
    ['redis://h?db=3', '?db=3: no query or fragment (redis://[user:pass@]host:port[/db])'],
  ])('%s: refused in one line', (url, message) => {
    expect(issuesAt('queue.redis_url', url)).toEqual([message]);
  });

  it.each(['redis://127.0.0.1:6379', 'redis://h:6379/0', 'redis://h/15', 'rediss://user:p%40ss@h:6380/3', 'redis://[::1]:6379'])('%s: taken', (url) => {
    expect(issuesAt('queue.redis_url', url)).toEqual([]);
  });
});
