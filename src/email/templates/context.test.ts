import { describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import { LOCALE_TEXTS } from '../locales/registry.js';
import { makeCtx, targetList } from './context.js';
import type { Inline } from './doc.js';

const flatten = (parts: Inline[]): string => parts.map((x) => (typeof x === 'string' ? x : x.code)).join('');

describe('targetList: the targets a sentence names', () => {
  it('names them all up to 4; past that, the first 4 "and others", so the sentence never claims the samples hold fewer', async () => {
    const job = (await caseEmailJobs()).find((j) => j.caseId === 'alias-netmask')!;
    // fixtures/captures/case1-alias-netmask.pcap: the samples of 198.51.100.7 ask for 5 other failover IPs
    expect(job.evidence.targets).toHaveLength(5);
    const [a, b, c, d] = job.evidence.targets;
    const text = (targets: string[], locale: 'en' | 'fr' | 'it'): string => flatten(targetList({ ...makeCtx(job, LOCALE_TEXTS[locale]), targets }));
    expect(text(job.evidence.targets, 'en')).toBe(`${a}, ${b}, ${c}, ${d} and others`);
    expect(text(job.evidence.targets, 'fr')).toBe(`${a}, ${b}, ${c}, ${d} et d'autres`);
    expect(text(job.evidence.targets, 'it')).toBe(`${a}, ${b}, ${c}, ${d} e altri`);
    expect(text(job.evidence.targets.slice(0, 4), 'en')).toBe(`${a}, ${b}, ${c} and ${d}`);
    expect(text([a], 'en')).toBe(a);
  });
});
