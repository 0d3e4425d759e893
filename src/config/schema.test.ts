import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { configSchema, defaultConfig } from './schema.js';

describe('configuration', () => {
  it('config/arpwarden.yaml shows every default', () => {
    expect(loadConfig('config/arpwarden.yaml')).toEqual(defaultConfig());
  });

  it('queue, smtp, email and mute: strict, with the reason named', () => {
    const issue = (v: unknown): string => configSchema.safeParse(v).error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    expect(issue({ queue: { redis_url: 'localhost:6379' } })).toBe('queue.redis_url: expected redis://host:port or rediss://host:port');
    expect(issue({ queue: { name: 'a:b' } })).toMatch(/^queue\.name: letters, digits/);
    expect(issue({ smtp: { user: 'arpwarden' } })).toBe('smtp: user and pass go together');
    expect(issue({ smtp: { starttls: 'maybe' } })).toMatch(/^smtp\.starttls: /);
    expect(issue({ mute: { ips: ['198.51.100.300'] } })).toMatch(/^mute\.ips\.0: /);
    expect(issue({ queue: { retries: 3 } })).toMatch(/retries/);
  });
});
