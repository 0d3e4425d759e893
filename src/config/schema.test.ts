import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGNALS } from '../detect/signals.js';
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
    expect(issue({ email: { from: 'Our NOC' } })).toBe('email.from: expected a mailbox: noc@provider.example or Our NOC <noc@provider.example>');
    expect(issue({ email: { reply_to: 'noc@arpwarden' } })).toMatch(/^email\.reply_to: expected a mailbox/);
    expect(issue({ email: { archive_bcc: 'tickets' } })).toMatch(/^email\.archive_bcc: expected a mailbox/);
    expect(issue({ email: { message_id_domain: 'arpwarden' } })).toMatch(/^email\.message_id_domain: expected a domain name/);
    for (const from of ['Our NOC <noc@provider.example>', 'noc@provider.example']) expect(configSchema.safeParse({ email: { from } }).success).toBe(true);
  });

  it('has one threshold key per signal, named as the signal, with the signal registry\'s default', () => {
    const t = defaultConfig().detector.thresholds;
    expect(Object.keys(t)).toEqual(SIGNALS.map((s) => s.name));
    for (const s of SIGNALS) expect(t[s.name]).toBe(s.threshold);
  });

  it('refuses a threshold key of an earlier version with a line naming the new key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-config-'));
    const file = path.join(dir, 'arpwarden.yaml');
    try {
      fs.writeFileSync(file, 'detector:\n  thresholds:\n    wrong_gateway: 5\n    off_link: 3\n');
      expect(() => loadConfig(file)).toThrow(`${file}:4: detector.thresholds.off_link: renamed: write off_link_target`);
      fs.writeFileSync(file, 'detector:\n  thresholds:\n    excessive_requests: 50\n');
      expect(() => loadConfig(file)).toThrow(`${file}:3: detector.thresholds.excessive_requests: renamed: write excessive_arp`);
      fs.writeFileSync(file, 'detector:\n  thresholds:\n    off_link_target: 3\n');
      expect(loadConfig(file).detector.thresholds.off_link_target).toBe(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
