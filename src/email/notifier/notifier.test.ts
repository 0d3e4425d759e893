import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../capture/file-source.js';
import { defaultConfig } from '../../config/schema.js';
import type { Incident, IncidentChange } from '../../incidents/incident.js';
import { loadInventory } from '../../inventory/load.js';
import { replayFile } from '../../pipeline/replay.js';
import { outboxNotifier } from '../create-notifier.js';
import type { EmailJob } from '../job.js';
import { MemoryNotificationPolicy } from '../policy/memory-policy.js';
import { configuredRender } from '../render/renderer.js';
import { EmailNotifier } from './notifier.js';
import type { EmailTransport, NotifierStats } from './transport.js';

/** A transport that is away for its first `failures` tries. */
class FlakyTransport implements EmailTransport<'sent'> {
  readonly name = 'flaky';
  readonly outcomes = ['sent'] as const;
  readonly flushMs = 1000;
  readonly jobs: EmailJob[] = [];
  readonly resolutions: string[] = [];
  closed = 0;
  readonly messages = { down: () => 'down', back: (held: number) => `back, ${held} follow`, lost: (n: number) => `lost ${n}` };
  constructor(private failures: number) {}
  async deliver(job: EmailJob): Promise<'sent'> {
    if (this.failures-- > 0) throw new Error('away');
    this.jobs.push(job);
    return 'sent';
  }
  resolved(incidentId: string): void { this.resolutions.push(incidentId); }
  report(s: NotifierStats<'sent'>): string { return `sent ${s.sent}`; }
  describe(): Record<string, string> { return {}; }
  async close(): Promise<void> { this.closed++; }
}

describe('EmailNotifier', () => {
  const config = defaultConfig();
  let incident: Incident;
  beforeAll(async () => {
    const run = await replayFile(new FileSource('fixtures/captures/case1-alias-netmask.pcap'), config, loadInventory('fixtures/inventory.yaml'));
    incident = run.detection!.book.known()[0];
  });
  const opened = (inc: Incident): IncidentChange => ({ kind: 'opened', incident: inc });
  const resolved = (inc: Incident): IncidentChange => ({ kind: 'resolved', incident: inc });

  it('tells its transport of each customer incident that resolves (a job deferred by a mute reads it), not of an opening', async () => {
    const transport = new FlakyTransport(0);
    const n = new EmailNotifier({ transport, policy: new MemoryNotificationPolicy(config.mute, 0), windowSeconds: 60, buffer: 10 });
    n.accept(opened(incident));
    expect(transport.resolutions).toEqual([]);
    n.accept(resolved(incident));
    expect(transport.resolutions).toEqual([incident.id]);
    await n.close();
  });

  it('unsent(): the incidents whose email is held or was lost (the transport away at close); rejoin() after a restart hands them over', async () => {
    const away = new FlakyTransport(Infinity);
    const before = new EmailNotifier({ transport: away, policy: new MemoryNotificationPolicy(config.mute, 0), windowSeconds: 60, buffer: 10 });
    before.accept(opened(incident));
    expect(before.unsent()).toEqual([[incident.id, false]]);
    before.accept(resolved(incident));
    // built, held while the transport is away
    await new Promise((r) => setTimeout(r, 20));
    expect(before.unsent()).toEqual([[incident.id, true]]);
    await before.close();
    expect(before.stats().dropped).toBe(1);
    expect(before.unsent()).toEqual([[incident.id, true]]);

    const back = new FlakyTransport(0);
    const after = new EmailNotifier({ transport: back, policy: new MemoryNotificationPolicy(config.mute, 0), windowSeconds: 60, buffer: 10 });
    after.rejoin([incident], JSON.parse(JSON.stringify(before.unsent())));
    await after.idle();
    expect(back.jobs.map((j) => j.incidentId)).toEqual([incident.id]);
    expect(after.unsent()).toEqual([]);
    // a shape it does not know (an edited file) is skipped
    after.rejoin([incident], { x: 1 });
    after.rejoin([incident], [[1, true], ['y']]);
    expect(after.unsent()).toEqual([]);
    await after.close();
  });

  it('retries while its transport is away, says so once each way, and counts; close() hands over what is open, once', async () => {
    const transport = new FlakyTransport(2);
    const logs: string[] = [];
    const n = new EmailNotifier({ transport, policy: new MemoryNotificationPolicy(config.mute, 0), windowSeconds: 60, buffer: 10, log: (l) => logs.push(l) });
    n.accept(opened(incident));
    n.accept(resolved(incident));
    await n.idle();
    expect(transport.jobs.map((j) => j.incidentId)).toEqual([incident.id]);
    expect(n.stats()).toEqual({ sent: 1, cooldown: 0, muted: 0, dropped: 0, retries: 2, pending: 0 });
    expect(logs).toEqual(['down', 'back, 0 follow']);
    const other = { ...incident, id: 'other' };
    n.accept(opened(other));
    await Promise.all([n.close(), n.close()]);
    expect(transport.jobs.map((j) => j.incidentId)).toEqual([incident.id, 'other']);
    expect(transport.closed).toBe(1);
    expect(transport.report(n.stats())).toBe('sent 2');
  });

  it('the outbox: one .eml per job, the cooldown and the mutes counted, the report line as before', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arpwarden-outbox-'));
    try {
      const n = outboxNotifier(dir, configuredRender(config.email), { ...config, queue: { ...config.queue, cooldown_hours: 24 } });
      n.accept(opened(incident));
      n.accept(resolved(incident));
      // the same IP and case an hour later: a new job id, within the cooldown
      const again = { ...incident, id: 'again', openedAt: incident.openedAt + 3600e6, lastSeen: incident.lastSeen + 3600e6 };
      n.accept(opened(again));
      n.accept(resolved(again));
      await n.close();
      expect(readdirSync(dir)).toHaveLength(1);
      expect(n.stats()).toMatchObject({ written: 1, exists: 0, failed: 0, cooldown: 1, muted: 0, dropped: 0 });
      expect(n.transport.report(n.stats())).toBe(`emails: 1 written to ${dir} (already there 0, cooldown 1, muted 0, failed 0, dropped 0)`);
      const muted = outboxNotifier(dir, configuredRender(config.email), { ...config, mute: { customers: [incident.verdict.customer!.id], ips: [] } });
      muted.accept(opened(incident));
      await muted.close();
      expect(muted.stats()).toMatchObject({ written: 0, muted: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the outbox: a write that fails is counted, said once in a line, and kept for the run\'s end; no temporary file left', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arpwarden-outbox-gone-'));
    const lines: string[] = [];
    const n = outboxNotifier(path.join(dir, 'gone'), configuredRender(config.email), { ...config, queue: { ...config.queue, cooldown_hours: 0 } }, (l) => lines.push(l));
    try {
      for (const i of [incident, { ...incident, id: 'again', openedAt: incident.openedAt + 3600e6, lastSeen: incident.lastSeen + 3600e6 }]) {
        n.accept(opened(i));
        n.accept(resolved(i));
      }
      await n.close();
      expect(n.stats()).toMatchObject({ written: 0, failed: 2 });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^outbox: .*gone\/.*\.eml: ENOENT/);
      expect(n.transport.lastFailure).toMatch(/^outbox: .*gone\/.*\.eml: ENOENT/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
