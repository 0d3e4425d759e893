import { describe, expect, it } from 'vitest';
import { DaemonEvents } from './events.js';
import { memoryLogger, textLogger } from './logger.js';
import { sampleTotal, sampleValue, Telemetry } from './telemetry.js';

describe('Telemetry', () => {
  it('counters are registered once and bumped by index; the same name and labels give the same id', () => {
    const t = new Telemetry();
    const a = t.counter('jobs_total', 'jobs', { outcome: 'sent' });
    const b = t.counter('jobs_total', 'jobs', { outcome: 'failed' });
    expect(t.counter('jobs_total', 'jobs', { outcome: 'sent' })).toBe(a);
    t.add(a);
    t.add(a, 2);
    t.add(b);
    for (let i = 0; i < 100; i++) t.counter('many_total', 'growth past the first array', { i: String(i) });
    const snap = t.snapshot();
    expect(sampleValue(snap, 'jobs_total', { outcome: 'sent' })).toBe(3);
    expect(sampleTotal(snap, 'jobs_total')).toBe(4);
    expect(snap.metrics.get('jobs_total')).toEqual({ kind: 'counter', help: 'jobs' });
  });

  it('sources write their own samples at snapshot time; a name must be described, with one kind', () => {
    const t = new Telemetry();
    let held = 5;
    t.describe('held', 'gauge', 'held now');
    t.source('queue', (out) => out.gauge('held', held));
    expect(sampleValue(t.snapshot(), 'held')).toBe(5);
    held = 7;
    expect(sampleValue(t.snapshot(), 'held')).toBe(7);
    t.source('queue', (out) => out.counter('held', 1));
    expect(() => t.snapshot()).toThrow('held is a gauge, written as a counter');
    t.source('queue', (out) => out.gauge('undescribed', 1));
    expect(() => t.snapshot()).toThrow('undescribed written by a source but never described');
  });

  it('daemon events are logged through the logger port and counted by type', () => {
    const t = new Telemetry();
    const log = memoryLogger();
    const ev = new DaemonEvents(t, log);
    ev.emit({ type: 'inventory_refused', file: 'inv.yaml', reason: 'inv.yaml:1: empty' });
    expect(log.lines).toEqual([{ level: 'warn', msg: 'kept the last good inventory: inv.yaml:1: empty', fields: { event: 'inventory_refused', file: 'inv.yaml', reason: 'inv.yaml:1: empty' } }]);
    expect(sampleValue(t.snapshot(), 'events_total', { type: 'inventory_refused' })).toBe(1);
    expect(sampleValue(t.snapshot(), 'events_total', { type: 'capture_started' })).toBe(0);
  });

  it('the text logger prints `arpwarden: ` lines, the message only (the fields are for the JSON log), below its level nothing', () => {
    let out = '';
    const log = textLogger({ write: (s: string) => { out += s; } }, 'info');
    log.debug('not shown');
    log.info('reloaded inv.yaml');
    log.warn('redis away, 3 emails held', { held: 3, url: 'redis://127.0.0.1:6379' });
    expect(out).toBe('arpwarden: reloaded inv.yaml\narpwarden: redis away, 3 emails held\n');
  });
});
