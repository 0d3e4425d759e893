import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import { LOCALES } from '../../common/locales.js';
import { isCustomerCase } from '../../classify/cases.js';
import { CASE_IDS } from '../../classify/verdict.js';
import { customerSchema } from '../../inventory/schema.js';
import { renderEmail } from '../render/render.js';
import { isDefinedLocale } from './locale-text.js';
import { LOCALE_TEXTS } from './registry.js';

const OPTS = { from: 'noc@example.net', replyTo: 'noc@example.net', provider: 'Example Hosting' };
const customer = (locale: string): unknown => ({ id: 'c-1', email: 'a@example.net', locale });

describe('the locale registry (src/common/locales.ts), the inventory and the rendered emails agree', () => {
  it('the registry loads exactly one text per registered code', () => {
    expect(Object.keys(LOCALE_TEXTS)).toEqual([...LOCALES]);
  });

  it('every folder under src/email/locales/ is a registered code, and every code has its folder', () => {
    const folders = readdirSync(new URL('.', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual([...LOCALES].sort());
  });

  it('the inventory accepts every registered code and nothing else', () => {
    for (const code of LOCALES) expect(customerSchema.parse(customer(code))).toMatchObject({ locale: code });
    for (const other of ['english', 'EN', ' en', '']) expect(customerSchema.safeParse(customer(other)).success, other).toBe(false);
  });

  it('every registered locale renders every customer case in its own words (no fallback to English)', async () => {
    const jobs = await caseEmailJobs();
    const customerCases = CASE_IDS.filter((c) => isCustomerCase(c));
    expect(new Set(jobs.map((j) => j.caseId))).toEqual(new Set(customerCases));
    for (const code of LOCALES) {
      const L = LOCALE_TEXTS[code].common;
      for (const job of jobs) {
        const e = renderEmail({ ...job, customer: { ...job.customer, locale: code } }, OPTS);
        expect(e.html, `${job.caseId} ${code}`).toContain(`<html lang="${code}">`);
        expect(e.subject, `${job.caseId} ${code}`).toContain(`(${L.arpNoise})`);
        expect(e.text, `${job.caseId} ${code}`).toContain(L.typography(L.title.fix));
      }
    }
  });

  it('only what defineLocale built passes as a locale folder', () => {
    expect(isDefinedLocale(LOCALE_TEXTS.en)).toBe(true);
    expect(isDefinedLocale({ common: LOCALE_TEXTS.en.common, cases: LOCALE_TEXTS.en.cases })).toBe(false);
    expect(isDefinedLocale(undefined)).toBe(false);
  });
});
