/**
 * Emails a capture daemon could not enqueue (Redis away until it stops, or the buffer full) are not lost
 * silently: the notifiers' failure line counts them and names their job ids, and `capture` then exits 2
 * (src/cli/capture.ts). Redis here is really away: a loopback port nothing listens on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipToString as ipText } from '../../src/common/addr.js';
import { configSchema } from '../../src/config/schema.js';
import { createNotifier } from '../../src/email/create-notifier.js';
import type { Incident } from '../../src/incidents/incident.js';
import { caseIncidents, lifecycle, moved } from './helpers/incidents.js';
import { freePort } from './helpers/ports.js';
import { INVENTORY, testConfig } from './helpers/setup.js';
import { removeConfigs, runCli, writeConfig } from './helpers/cli.js';

describe('emails never enqueued are counted and named at exit', () => {
  let alias: Incident;
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    alias = (await caseIncidents('case1-alias-netmask.pcap', testConfig(`redis://127.0.0.1:${port}`, 25)))[0];
  });
  afterAll(removeConfigs);

  it('Redis away for the whole run, a buffer of 3 and 5 incidents: 5 never enqueued, the ids listed, one line', async () => {
    const base = testConfig(`redis://127.0.0.1:${port}`, 25);
    const config = configSchema.parse({ ...base, queue: { ...base.queue, buffer: 3, flush_seconds: 0.2 } });
    const lines: string[] = [];
    const notifiers = await createNotifier(config, { enqueue: true, redisNow: false, log: (l) => lines.push(l) });
    const incidents = Array.from({ length: 5 }, (_, i) => moved(alias, { ipOffset: 200 + i, tag: `lost${i}` }));
    for (const inc of incidents) for (const c of lifecycle(inc)) for (const s of notifiers.sinks) s.accept(c);
    await notifiers.close();
    const failure = notifiers.failure();
    expect(failure).not.toBeNull();
    expect(failure).toMatch(/^queue test-\d+-\d+: 5 emails never enqueued \(Redis away, or the buffer full\): /);
    expect(failure).not.toContain('\n');
    // each lost job by its id, the one the NOC greps for
    const ids = /buffer full\): (.*); their incidents are in the log/.exec(failure!)?.[1].split(', ') ?? [];
    expect(new Set(ids).size).toBe(5);
    // one per incident: the job id carries its IP
    for (const inc of incidents) expect(ids.filter((id) => id.includes(ipText(inc.ip)))).toHaveLength(1);
  });

  it.skipIf(process.getuid?.() !== 0 && !process.env.CI)('a capture whose Redis is away (down, or refusing the password) still stops when asked and exits by itself', async () => {
    const file = writeConfig(testConfig(`redis://127.0.0.1:${port}`, 25));
    const t = Date.now();
    const r = await runCli(['capture', '-i', 'lo', '--inventory', INVENTORY, '--config', file, '--seconds', '2'], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(r.stderr).toMatch(/connection refused; holding jobs/);
  });
});
