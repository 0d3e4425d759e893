import { describe, expect, it } from 'vitest';
import { sampleValue, Telemetry } from '../../telemetry/telemetry.js';
import { QueueCounts } from './queue-counts.js';

const noFailed = { getFailed: async () => [] };
const MAYBE = 'maybe-sent: no answer from the relay after the send began (ETIMEDOUT); not sent again (arpwarden queue resend ID, once the customer is known not to have it)';

describe('the email queue\'s job counts in a synchronous snapshot', () => {
  it('writes nothing before the first read, then the last counts read; a failed read keeps them and is counted', async () => {
    let answer: () => Promise<Record<string, number>> = async () => ({ waiting: 3, delayed: 1, failed: 2 });
    let asked: string[] = [];
    const counts = new QueueCounts({ ...noFailed, getJobCounts: (...states) => { asked = states; return answer(); } });
    const t = new Telemetry();
    counts.register(t);
    expect(sampleValue(t.snapshot(), 'email_queue_jobs', { state: 'waiting' })).toBeUndefined();
    const reading = counts.refresh();
    // a snapshot taken while Redis has not answered yet does not wait for it
    expect(sampleValue(t.snapshot(), 'email_queue_jobs', { state: 'waiting' })).toBeUndefined();
    await reading;
    expect(asked).toEqual(['waiting', 'delayed', 'failed']);
    const snap = t.snapshot();
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'waiting' })).toBe(3);
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'delayed' })).toBe(1);
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'failed' })).toBe(2);
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'maybe-sent' })).toBe(0);
    answer = async () => { throw new Error('Connection is closed'); };
    await counts.refresh();
    const after = t.snapshot();
    expect(sampleValue(after, 'email_queue_jobs', { state: 'failed' })).toBe(2);
    expect(sampleValue(after, 'email_queue_reads_failed_total')).toBe(1);
  });

  it('shows the maybe-sent jobs apart from the failed ones, recounting them only when the failed count moves', async () => {
    let failed = [{ failedReason: MAYBE }, { failedReason: '550 mailbox unavailable' }, { failedReason: MAYBE }];
    let pages = 0;
    const counts = new QueueCounts({
      getJobCounts: async () => ({ waiting: 0, delayed: 0, failed: failed.length }),
      getFailed: async (start, end) => { pages++; return failed.slice(start, end + 1); },
    });
    const t = new Telemetry();
    counts.register(t);
    await counts.refresh();
    let snap = t.snapshot();
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'maybe-sent' })).toBe(2);
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'failed' })).toBe(1);
    await counts.refresh();
    expect(pages).toBe(1);
    failed = [...failed, { failedReason: MAYBE }];
    await counts.refresh();
    expect(pages).toBe(2);
    snap = t.snapshot();
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'maybe-sent' })).toBe(3);
    expect(sampleValue(snap, 'email_queue_jobs', { state: 'failed' })).toBe(1);
  });

  it('writes the workers\' totals as email_worker_jobs_total{outcome}, every outcome, only once read (none without a totals reader)', async () => {
    let totals: Record<string, number> = { sent: 5, failed: 1 };
    const counts = new QueueCounts({ ...noFailed, getJobCounts: async () => ({ waiting: 0, delayed: 0, failed: 0 }) }, async () => totals);
    const t = new Telemetry();
    counts.register(t);
    expect(sampleValue(t.snapshot(), 'email_worker_jobs_total', { outcome: 'sent' })).toBeUndefined();
    await counts.refresh();
    let snap = t.snapshot();
    expect(sampleValue(snap, 'email_worker_jobs_total', { outcome: 'sent' })).toBe(5);
    expect(sampleValue(snap, 'email_worker_jobs_total', { outcome: 'failed' })).toBe(1);
    expect(sampleValue(snap, 'email_worker_jobs_total', { outcome: 'maybe-sent' })).toBe(0);
    expect(sampleValue(snap, 'email_worker_jobs_total', { outcome: 'muted-resolved' })).toBe(0);
    totals = { sent: 7, failed: 1, 'maybe-sent': 2 };
    await counts.refresh();
    snap = t.snapshot();
    expect(sampleValue(snap, 'email_worker_jobs_total', { outcome: 'sent' })).toBe(7);
    expect(sampleValue(snap, 'email_worker_jobs_total', { outcome: 'maybe-sent' })).toBe(2);

    const alone = new QueueCounts({ ...noFailed, getJobCounts: async () => ({ waiting: 1, delayed: 0, failed: 0 }) });
    const t2 = new Telemetry();
    alone.register(t2);
    await alone.refresh();
    expect(sampleValue(t2.snapshot(), 'email_queue_jobs', { state: 'waiting' })).toBe(1);
    expect(sampleValue(t2.snapshot(), 'email_worker_jobs_total', { outcome: 'sent' })).toBeUndefined();
  });

  it('runs one read at a time', async () => {
    let calls = 0;
    let release: (v: Record<string, number>) => void = () => {};
    const counts = new QueueCounts({ ...noFailed, getJobCounts: () => { calls++; return new Promise((r) => { release = r; }); } });
    const a = counts.refresh();
    const b = counts.refresh();
    expect(calls).toBe(1);
    release({ waiting: 1 });
    await Promise.all([a, b]);
    expect(counts.last).toEqual({ waiting: 1, failed: 0, 'maybe-sent': 0 });
  });
});
