/** Phrasings that readers flagged as clumsy or wrong (issue 11) stay out of every email, and their fixes are in. */
import { beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import type { EmailJob } from '../job.js';
import { LOCALES } from '../../common/locales.js';
import { renderEmail } from '../render/render.js';
import { COMMON } from '../templates/locale.js';

const OPTS = { from: 'NOC <noc@provider.example>', replyTo: 'noc@provider.example', provider: 'P' };
/** text with the locale's non-breaking spaces made plain, lines joined */
const flat = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

describe('French and Italian wording', () => {
  let jobs: EmailJob[];
  let fr: string[];
  let it_: string[];
  beforeAll(async () => {
    jobs = await caseEmailJobs();
    const all = (locale: 'fr' | 'it'): string[] => jobs.map((j) => flat(renderEmail({ ...j, customer: { ...j.customer, locale } }, OPTS).text));
    fr = all('fr');
    it_ = all('it');
  });

  it('fr: no "diffusée en broadcast" (a pleonasm), a plain FAQ title, no "demander ou répondre de travers"', () => {
    for (const text of fr) {
      for (const bad of ['diffusée en broadcast', 'Pourquoi recevoir ce message', 'de travers']) expect(text).not.toContain(bad);
      expect(text).toContain('Mon IP fonctionne : pourquoi ce message ?');
      expect(text).toContain('Une requête ARP est diffusée à tout le VLAN');
    }
  });

  it('it: "la richiesta who-has … seguita da", no "per lui" for an IP or an address, "si vedano le domande in fondo"', () => {
    for (const text of it_) {
      for (const bad of ['per lui', 'vedete le domande', 'vedete l\'area']) expect(text).not.toContain(bad);
      expect(text).not.toMatch(/come who-has \S+ tell \S+ seguita/);
    }
    const missing = it_[jobs.findIndex((j) => j.caseId === 'vmac-missing')];
    expect(missing).toMatch(/come la richiesta who-has \S+ tell \S+, seguita da una risposta/);
    expect(it_.some((t) => t.includes('(si vedano le domande in fondo)'))).toBe(true);
  });

  it('the subject\'s name for the problem is the one the body explains, in every locale (it: "traffico ARP anomalo", not "rumore ARP")', () => {
    for (const locale of LOCALES) {
      for (const job of jobs) {
        const e = renderEmail({ ...job, customer: { ...job.customer, locale } }, OPTS);
        const term = COMMON[locale].arpNoise;
        expect(e.subject).toContain(`(${term})`);
        expect(flat(e.text), `${job.caseId} ${locale}`).toMatch(new RegExp(`[«"] ?${term} ?[»"]`));
      }
    }
    for (const text of it_) expect(text).not.toContain('rumore ARP');
  });
});

