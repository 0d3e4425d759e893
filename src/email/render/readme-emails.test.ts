import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseEmailJobs, groupedEmailJobs } from '../../../fixtures/email-jobs.js';
import { BEGIN, currentSection, END, README, README_OPTIONS, readmeSection, withSection } from '../../../scripts/readme-emails.js';
import { renderEmail } from './render.js';

describe('docs/emails.md: the sample warning emails are produced by the code', () => {
  it('is up to date (otherwise: npm run docs:emails)', async () => {
    const readme = readFileSync(README, 'utf8');
    const expected = readmeSection(await caseEmailJobs(), await groupedEmailJobs());
    expect(currentSection(readme), 'docs/emails.md is stale: run `npm run docs:emails`').toBe(expected);
  });

  it('shows the text of one email per case in English, one French and one Italian example, and one email of two IPs of a block', async () => {
    const jobs = await caseEmailJobs();
    const section = readmeSection(jobs, await groupedEmailJobs());
    const headings = [...section.matchAll(/^#### `([a-z-]+)` \([^)]+\), (\w+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      'alias-netmask English', 'block-netmask English', 'split-block English', 'vmac-gateway English', 'vmac-missing English',
      'vm-nat-gateway English', 'portable-block-unusable English', 'duplicate-ip English', 'alias-netmask French', 'vmac-missing Italian',
      'block-netmask English',
    ]);
    expect(section).toMatch(/^#### `block-netmask` \(case 1a, 2 IPs in one email\), English$/m);
    expect(section).toMatch(/^Subject: \[Example Hosting\] 2 IPs of 192\.0\.2\.0\/28 — /m);
    const case2 = jobs.find((j) => j.caseId === 'vmac-gateway')!;
    const text = renderEmail({ ...case2, customer: { ...case2.customer, locale: 'en' } }, README_OPTIONS).text;
    expect(section).toContain(text.trimEnd());
  });

  it('replaces only what lies between the markers, and refuses a page without them', () => {
    const doc = `# t\n\nbefore\n${BEGIN}\nold\n${END}\nafter\n`;
    expect(withSection(doc, '\nnew\n')).toBe(`# t\n\nbefore\n${BEGIN}\nnew\n${END}\nafter\n`);
    expect(() => withSection('# no markers\n', 'x')).toThrow(/must hold/);
    expect(() => withSection(`${END}\n${BEGIN}\n`, 'x')).toThrow(/must hold/);
  });
});
