/** The email of several IPs of one block (one per block): its subject, opening, evidence per IP, self-check and references, in every locale. */
import { beforeAll, describe, expect, it } from 'vitest';
import { groupedEmailJobs } from '../../../fixtures/email-jobs.js';
import { LOCALES } from '../../common/locales.js';
import { type EmailJob, jobIncidentIds, jobIps } from '../job.js';
import { renderEmail } from './render.js';

const OPTS = { from: 'Test NOC <noc@provider.example>', replyTo: 'noc@provider.example', provider: 'Test Provider' };
/** when the incidents began, as the opening says it (a sentence of its own, not "à N minutes d'intervalle") */
const BEGAN = {
  en: 'that have the same problem: 192.0.2.9 and 192.0.2.6. Their incidents began within about 1 second of each other. The instructions below are written for 192.0.2.9,',
  fr: "qui présentent le même problème : 192.0.2.9 et 192.0.2.6. Leurs incidents ont tous deux commencé en l'espace d'environ 1 seconde. Les instructions ci-dessous sont rédigées pour 192.0.2.9,",
  it: "che presentano lo stesso problema: 192.0.2.9 e 192.0.2.6. I loro incidenti sono iniziati nell'arco di circa 1 secondo. Le istruzioni che seguono sono scritte per 192.0.2.9,",
};
const COUNT = { en: '2 IPs of 192.0.2.0/28 —', fr: '2 IP du bloc 192.0.2.0/28 —', it: '2 IP del blocco 192.0.2.0/28 —' };

describe('a grouped email', () => {
  let job: EmailJob;
  beforeAll(async () => { job = (await groupedEmailJobs()).find((j) => j.caseId === 'block-netmask')!; });

  it('says how many IPs in the subject and the opening, lists each with its own evidence and self-check, and names every incident', () => {
    for (const locale of LOCALES) {
      const e = renderEmail({ ...job, customer: { ...job.customer, locale } }, OPTS);
      expect(e.subject, locale).toContain(`[Test Provider] ${COUNT[locale]} `);
      expect(e.subject, locale).toContain('192.0.2.9');
      const ips = jobIps(job);
      // the opening names both, before the case's own text
      const intro = e.text.split('\n\n')[1].replace(/\s+/g, ' ');
      for (const ip of ips) expect(intro, locale).toContain(ip);
      expect(intro, locale).toContain(BEGAN[locale]);
      for (const g of [job.evidence, ...job.group!.map((x) => x.evidence)]) for (const line of g.samples) expect(e.text, locale).toContain(line);
      for (const ip of ips) expect(e.text, locale).toContain(`tcpdump -nn -e -i eth0 arp and host ${ip}`);
      for (const id of jobIncidentIds(job)) expect(e.text, locale).toContain(id);
      expect(e.headers['X-Arpwarden-Incident']).toBe(jobIncidentIds(job).join(', '));
      expect(e.messageId).toBe(renderEmail({ ...job, group: [] }, OPTS).messageId);
      expect(e.html.match(/<h3[^>]*>[^<]*<\/h3>/g)?.map((h) => h.replace(/<[^>]+>/g, '')), locale).toEqual(ips);
    }
  });

  it('two IPs: the change is made "for the other one", not "for each of the others"; three: for each of the others', () => {
    const other = { en: 'make the same change for the other one, using its own address', fr: "appliquez la même modification à l'autre, avec sa propre adresse", it: "applicate la stessa modifica all'altro, con il rispettivo indirizzo" };
    const others = { en: 'make the same change for each of the others, using its own address', fr: 'appliquez la même modification à chacune des autres, avec sa propre adresse', it: 'applicate la stessa modifica a ciascuno degli altri, con il rispettivo indirizzo' };
    const three: EmailJob = { ...job, group: [...job.group!, { ...job.group![0], ip: '192.0.2.7', incidentId: 'block-netmask-192.0.2.7-0' }] };
    for (const locale of LOCALES) {
      const intro = (j: EmailJob): string => renderEmail({ ...j, customer: { ...j.customer, locale } }, OPTS).text.split('\n\n')[1].replace(/\s+/g, ' ');
      expect(intro(job), locale).toContain(other[locale]);
      expect(intro(three), locale).toContain(others[locale]);
      expect(intro(three), locale).not.toContain('tous deux');
    }
  });

  it('an email of one IP has none of it', () => {
    const en = { ...job, customer: { ...job.customer, locale: 'en' as const } };
    const e = renderEmail({ ...en, group: undefined }, OPTS);
    const grouped = renderEmail(en, OPTS);
    expect(e.subject).toBe(grouped.subject.replace(`${COUNT.en} `, ''));
    expect(e.text.split('\n\n')[1]).toBe(grouped.text.split('\n\n')[2]);
    expect(e.text).not.toContain('tcpdump -nn -e -i eth0 arp and host 192.0.2.6');
    expect(e.html).not.toMatch(/<h3[^>]*>198/);
    expect(e.headers['X-Arpwarden-Incident']).toBe(job.incidentId);
  });
});
