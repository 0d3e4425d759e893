/**
 * An incident the persistence rule opened (few frames, back in many periods) says so in its email, instead of
 * the window's threshold note: fixtures/captures/case1a-block-netmask.pcap, where the block's broadcast
 * 192.0.2.15 asks once a minute (under the threshold) and 192.0.2.5 floods past it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { caseEmails } from '../../../fixtures/email-jobs.js';
import { LOCALES } from '../../common/locales.js';
import type { EmailJob } from '../job.js';
import { renderEmail } from './render.js';

const OPTS = { from: 'Test NOC <noc@provider.example>', replyTo: 'noc@provider.example', provider: 'Test Provider' };
const PERSISTENCE = {
  en: 'These counts stay under the threshold of our 60-second window, but we saw the same problem in 5 separate periods of 60 seconds within 30 minutes (the counts above start with the last of them)',
  fr: 'Ces compteurs restent sous le seuil de notre fenêtre de 60 secondes, mais nous avons vu le même problème sur 5 périodes distinctes de 60 secondes en 30 minutes (les compteurs ci-dessus partent de la dernière)',
  it: 'Questi conteggi restano sotto la soglia della nostra finestra di 60 secondi, ma abbiamo visto lo stesso problema in 5 periodi distinti di 60 secondi nell\'arco di 30 minuti (i conteggi qui sopra partono dall\'ultimo)',
};
const WINDOW = { en: 'a sliding window of 60 seconds', fr: 'une fenêtre glissante de 60 secondes', it: 'una finestra mobile di 60 secondi' };
const flat = (s: string): string => s.replace(/\s+/g, ' ');

describe('the email of an incident opened by persistence', () => {
  let quiet: EmailJob;
  let loud: EmailJob;
  beforeAll(async () => {
    const jobs = (await caseEmails()).filter((j) => j.caseId === 'block-netmask');
    quiet = jobs.find((j) => j.ip === '192.0.2.15')!;
    loud = jobs.find((j) => j.ip === '192.0.2.5')!;
  });

  it('the job carries the rule\'s figures; the threshold\'s job has none', () => {
    expect(quiet.evidence.persistence).toEqual({ periods: 5, periodSeconds: 60, horizonSeconds: 1800 });
    expect(loud.evidence.persistence).toBeUndefined();
  });

  it('says the counts stayed under the threshold but came back, in every locale; the other keeps the window note', () => {
    for (const locale of LOCALES) {
      const q = flat(renderEmail({ ...quiet, customer: { ...quiet.customer, locale } }, OPTS).text);
      expect(q, locale).toContain(PERSISTENCE[locale]);
      expect(q, locale).not.toContain(WINDOW[locale]);
      const l = flat(renderEmail({ ...loud, customer: { ...loud.customer, locale } }, OPTS).text);
      expect(l, locale).toContain(WINDOW[locale]);
      expect(l, locale).not.toContain(PERSISTENCE[locale]);
    }
  });

  it('a job whose figures came back broken from Redis falls back to the window note', () => {
    // JSON turns a NaN into null
    const back = JSON.parse(JSON.stringify({ ...quiet, customer: { ...quiet.customer, locale: 'en' }, evidence: { ...quiet.evidence, persistence: { periods: 5, periodSeconds: Number.NaN, horizonSeconds: 1800 } } })) as EmailJob;
    expect(back.evidence.persistence?.periodSeconds).toBeNull();
    expect(flat(renderEmail(back, OPTS).text)).toContain(WINDOW.en);
    // and a null where the figures were
    const none = JSON.parse(JSON.stringify({ ...back, evidence: { ...back.evidence, persistence: null } })) as EmailJob;
    expect(flat(renderEmail(none, OPTS).text)).toContain(WINDOW.en);
  });
});
