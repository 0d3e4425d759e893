/** The portable block's email suggests a usable address the capture did not show in use, or says that there is none. */
import { beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import { LOCALES, type Locale } from '../../common/locales.js';
import type { EmailJob } from '../job.js';
import { LOCALE_TEXTS } from '../locales/registry.js';
import { renderEmail } from '../render/render.js';

const OPTS = { from: 'NOC <noc@example.net>', replyTo: 'noc@example.net', provider: 'Example Hosting' };
const USABLE = ['198.51.100.66', '198.51.100.67', '198.51.100.68', '198.51.100.69', '198.51.100.70'];
/** the address each system's snippet assigns: ifupdown, netplan, NetworkManager, Windows */
const assigned = (text: string): string[] =>
  [/^ +address (\S+)$/m, /^ +- (\S+)\/29$/m, /ipv4\.addresses (\S+)\/29/, /New-NetIPAddress .*-IPAddress (\S+)/].map((re) => re.exec(text)?.[1] ?? '');
const flat = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

let job: EmailJob;
beforeAll(async () => {
  job = (await caseEmailJobs()).find((j) => j.caseId === 'portable-block-unusable' && j.ip === '198.51.100.71')!;
});

function render(inUse: string[] | undefined, locale: Locale): { text: string; html: string } {
  const block = { ...job.remediation.block!, inUse };
  if (inUse === undefined) delete block.inUse;
  return renderEmail({ ...job, customer: { ...job.customer, locale }, remediation: { ...job.remediation, block } }, OPTS);
}

describe('portable block, a reserved address in use: the address the email moves the machine to', () => {
  it('the capture\'s job: .66 and .67 were seen in use, so every system is configured with .68, and the email says why', () => {
    expect(job.remediation.block!.inUse).toEqual(['198.51.100.66', '198.51.100.67']);
    const said = { en: 'saw 198.51.100.66 and 198.51.100.67 in use on your VLAN, but not 198.51.100.68', fr: 'a vu 198.51.100.66 et 198.51.100.67 en service sur votre VLAN, mais pas 198.51.100.68', it: 'ha visto in uso sulla vostra VLAN 198.51.100.66 e 198.51.100.67, ma non 198.51.100.68' };
    for (const locale of LOCALES) {
      const e = renderEmail({ ...job, customer: { ...job.customer, locale } }, OPTS);
      expect(assigned(e.text), locale).toEqual(Array(4).fill('198.51.100.68'));
      expect(flat(e.text)).toContain(said[locale]);
      expect(e.html).toContain('198.51.100.68');
    }
  });

  it('nothing seen in use: the first usable address, said to be unseen', () => {
    for (const locale of LOCALES) {
      const { text } = render([], locale);
      expect(assigned(text), locale).toEqual(Array(4).fill('198.51.100.66'));
      expect(flat(text)).toMatch({ en: /saw none of them in use/, fr: /n'en a vu aucune en service/, it: /non ne ha visto nessuno in uso/ }[locale]);
    }
  });

  it('every usable address seen in use: none is suggested, the commands carry the locale\'s placeholder and the email says so', () => {
    for (const locale of LOCALES) {
      const { text, html } = render(USABLE, locale);
      const word = LOCALE_TEXTS[locale].cases['portable-block-unusable'].freeWord;
      expect(assigned(text), locale).toEqual(Array(4).fill(word));
      expect(html).toContain(word);
      expect(flat(text)).toMatch({ en: /saw every one of these addresses in use/, fr: /a vu chacune de ces adresses en service/, it: /ciascuno di questi indirizzi/ }[locale]);
      expect(flat(text)).toContain({ en: `in place of ${word}`, fr: `à la place de ${word}`, it: `al posto di ${word}` }[locale]);
      for (const a of USABLE) expect(text.includes(`address ${a}`), `${locale}: ${a}`).toBe(false);
    }
  });

  it('a job queued before the addresses in use were carried: the first usable address "if it is free", as then', () => {
    for (const locale of LOCALES) {
      const { text } = render(undefined, locale);
      expect(assigned(text), locale).toEqual(Array(4).fill('198.51.100.66'));
      expect(flat(text)).toMatch({ en: /For example, with 198\.51\.100\.66 if it is free:/, fr: /Par exemple, avec 198\.51\.100\.66 si elle est libre :/, it: /Per esempio, con 198\.51\.100\.66 se è libero:/ }[locale]);
    }
  });
});

describe('portable block, a usable address with the wrong gateway', () => {
  it('keeps its own address, is given the block\'s gateway, and is not told to order an address', () => {
    const more = { en: 'If every usable address is taken', fr: 'Si toutes les adresses utilisables sont prises', it: 'Se tutti gli indirizzi utilizzabili sono occupati' };
    const wrongGateway: EmailJob = { ...job, ip: '198.51.100.68', evidence: { ...job.evidence, counts: { wrong_gateway: 40, unresolved_arp: 40 }, targets: ['203.0.113.254'] } };
    for (const locale of LOCALES) {
      const text = renderEmail({ ...wrongGateway, customer: { ...job.customer, locale } }, OPTS).text;
      expect(assigned(text), locale).toEqual(Array(4).fill('198.51.100.68'));
      expect(flat(text), locale).not.toContain(more[locale]);
      // the machine on a reserved address does get it
      expect(flat(renderEmail({ ...job, customer: { ...job.customer, locale } }, OPTS).text), locale).toContain(more[locale]);
    }
  });
});

describe('portable block, a grouped email of several reserved addresses', () => {
  const member = (ip: string): NonNullable<EmailJob['group']>[number] => ({ incidentId: `portable-block-unusable-${ip}-0`, ip, mac: '52:54:00:64:0e:3e', vlan: 100, remediation: job.remediation, evidence: job.evidence });

  it('each machine gets a free address of its own: .71 to .68 in the commands, .64 to .69 (not .68 again)', () => {
    const grouped: EmailJob = { ...job, group: [member('198.51.100.64')] };
    const said = { en: 'Move the machine that uses 198.51.100.64 in the same way, to another free address: for example 198.51.100.69.', fr: 'Déplacez de la même façon la machine qui utilise 198.51.100.64 vers une autre adresse libre : par exemple 198.51.100.69.', it: 'Spostate allo stesso modo la macchina che usa 198.51.100.64 su un altro indirizzo libero: per esempio 198.51.100.69.' };
    for (const locale of LOCALES) {
      const text = renderEmail({ ...grouped, customer: { ...job.customer, locale } }, OPTS).text;
      expect(assigned(text), locale).toEqual(Array(4).fill('198.51.100.68'));
      expect(flat(text), locale).toContain(said[locale]);
    }
    // one IP alone: no such paragraph
    expect(flat(renderEmail(job, OPTS).text)).not.toContain('in the same way');
  });

  it('three: a pair each; too few free: says so rather than suggest one twice', () => {
    const three: EmailJob = { ...job, group: [member('198.51.100.64'), member('198.51.100.65')] };
    expect(flat(renderEmail({ ...three, customer: { ...job.customer, locale: 'en' } }, OPTS).text))
      .toContain('Move the machines that use 198.51.100.64 and 198.51.100.65 in the same way, each to a free address of its own: for example 198.51.100.64 to 198.51.100.69 and 198.51.100.65 to 198.51.100.70.');
    const oneFree = { ...job.remediation.block!, inUse: ['198.51.100.66', '198.51.100.67', '198.51.100.68', '198.51.100.69'] };
    const short: EmailJob = { ...job, remediation: { ...job.remediation, block: oneFree }, group: [member('198.51.100.64')] };
    const none = { en: 'we saw no other address free to suggest', fr: "nous n'en avons pas vu d'autre de libre à vous proposer", it: 'non ne abbiamo visto un altro libero da suggerire' };
    for (const locale of LOCALES) {
      const text = renderEmail({ ...short, customer: { ...job.customer, locale } }, OPTS).text;
      expect(assigned(text), locale).toEqual(Array(4).fill('198.51.100.70'));
      expect(flat(text), locale).toContain(none[locale]);
    }
  });
});


describe('portable block, the gateway\'s address and the others\', each an email of its own', () => {
  it('the capture\'s .65 (the gateway\'s address) is moved to .70, from the block\'s other end: .71\'s email gives .68', async () => {
    const gateway = (await caseEmailJobs()).find((j) => j.caseId === 'portable-block-unusable' && j.ip === '198.51.100.65')!;
    expect(gateway.remediation.block!.inUse).toEqual(['198.51.100.66', '198.51.100.67']);
    for (const locale of LOCALES) {
      expect(assigned(renderEmail({ ...gateway, customer: { ...gateway.customer, locale } }, OPTS).text), locale).toEqual(Array(4).fill('198.51.100.70'));
      expect(assigned(renderEmail({ ...job, customer: { ...job.customer, locale } }, OPTS).text), locale).toEqual(Array(4).fill('198.51.100.68'));
    }
  });
});
