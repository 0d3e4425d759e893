import { beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import { isCustomerCase } from '../../classify/cases.js';
import { CASE_IDS } from '../../classify/verdict.js';
import { type EmailJob, storedJobId } from '../job.js';
import type { Locale } from '../../inventory/model.js';
import { emailId, messageIdFor, type RenderOptions, renderEmail } from './render.js';
import { escapeHtml } from '../templates/doc.js';
import { COMMON } from '../templates/locale.js';
import { reservedRole } from '../templates/block-netmask.js';

const OPTS: RenderOptions = { from: 'Example Hosting NOC <noc@example.net>', replyTo: 'noc@example.net', provider: 'Example Hosting' };
const LOCALES: Locale[] = ['en', 'fr', 'it'];
/** every customer case, from the case registry: each needs a case capture that gives its job */
const CASES = CASE_IDS.filter((c) => isCustomerCase(c));

const inLocale = (job: EmailJob, locale: Locale): EmailJob => ({ ...job, customer: { ...job.customer, locale } });

/** The values the brief names for the fixture's jobs (fixtures/inventory.yaml), per case: a new customer case adds its own here (the type asks for it). */
const FIXTURE_VALUES: Record<EmailJob['caseId'], string[]> = {
  'alias-netmask': ['255.255.255.255', '198.51.100.7'],
  'block-netmask': ['255.255.255.240', '192.0.2.15'],
  'split-block': ['255.255.255.255', '192.0.2.19', '192.0.2.16/28'],
  'vmac-gateway': ['203.0.113.254', '02:00:00:aa:bb:cc'],
  'vmac-missing': ['203.0.113.254', '02:00:00:3f:21:7e'],
  'vm-nat-gateway': ['203.0.113.31'],
  'portable-block-unusable': ['198.51.100.66–198.51.100.70', '198.51.100.65'],
  'duplicate-ip': ['srv-3100', '203.0.113.31'],
};

/** The remediation values of a job, from the job itself: what its email must state. */
function remediationValues(job: EmailJob): string[] {
  const r = job.remediation;
  const b = r.block;
  switch (job.caseId) {
    case 'alias-netmask':
    case 'split-block':
      return ['255.255.255.255', job.ip, `${job.ip}/32`, `broadcast ${job.ip}`, `netmask 255.255.255.255`];
    case 'block-netmask':
      // the block's network or broadcast address itself is removed, the others take the block's netmask
      return reservedRole(job.ip, b!) !== null
        ? [b!.netmask, b!.broadcast, b!.cidr, `${b!.firstUsable}–${b!.lastUsable}`, `ip addr del ${job.ip}/`, `Remove-NetIPAddress -IPAddress ${job.ip} -Confirm:$false`]
        : [b!.netmask, b!.broadcast, b!.cidr, `netmask ${b!.netmask}`, `broadcast ${b!.broadcast}`];
    case 'vmac-gateway':
    case 'vmac-missing':
      return [r.gateway!, r.virtualMac!, `gateway ${r.gateway!}`, `pointopoint ${r.gateway!}`, `via: ${r.gateway!}`, 'on-link: true', `0.0.0.0/0 ${r.gateway!} onlink=true`];
    case 'vm-nat-gateway':
      return [r.gateway!, `gateway ${r.gateway!}`, `pointopoint ${r.gateway!}`, `${job.ip}/32`, `up ip route add ${job.ip}/32 dev vmbr1`, job.server!.gateway];
    case 'portable-block-unusable':
      return [`${b!.firstUsable}–${b!.lastUsable}`, r.gateway!, b!.netmask, `gateway ${r.gateway!}`];
    case 'duplicate-ip':
      return [job.staleServer!.id, job.staleServer!.ip, `ip addr del ${job.ip}/`, `Remove-NetIPAddress -IPAddress ${job.ip} -Confirm:$false`];
  }
}

/** Opening and closing tags balance (void elements aside), and no stray < or > is left outside a tag. */
function expectWellFormed(html: string): void {
  const VOID = new Set(['meta', 'br']);
  const body = html.replace(/^<!DOCTYPE html>\n/, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-z][a-z0-9]*)(?:\s[^<>]*)?>/g)) {
    const [, closing, tag] = m;
    if (VOID.has(tag)) continue;
    if (closing === '') stack.push(tag);
    else expect(stack.pop(), `</${tag}> closes the last open tag`).toBe(tag);
  }
  expect(stack).toEqual([]);
  const text = body.replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?>/g, '');
  expect(text).not.toMatch(/[<>]/);
  expect(text).not.toMatch(/&(?!(?:amp|lt|gt|quot|#39);)/);
}

let jobs: EmailJob[] = [];
beforeAll(async () => {
  jobs = await caseEmailJobs();
});

describe('renderEmail on every case capture, in every locale', () => {
  it('the case captures give a job for every customer case', () => {
    expect(new Set(jobs.map((j) => j.caseId))).toEqual(new Set(CASES));
  });

  it('subject: the provider, the IP, the case in words, localized', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const e = renderEmail(inLocale(job, locale), OPTS);
        expect(e.subject.startsWith('[Example Hosting] ')).toBe(true);
        expect(e.subject).toContain(job.ip);
        expect(e.subject).toContain(`(${COMMON[locale].arpNoise})`);
        expect(e.subject).not.toMatch(/[\r\n]/);
      }
    }
    const case1 = jobs.find((j) => j.caseId === 'alias-netmask')!;
    expect(renderEmail(inLocale(case1, 'en'), OPTS).subject).toBe('[Example Hosting] Failover IP 198.51.100.7: wrong netmask on the alias (ARP noise) [alias-netmask_198.51.100.7_4a453935e2b9a94b]');
    expect(renderEmail(inLocale(case1, 'fr'), OPTS).subject).toBe('[Example Hosting] IP failover 198.51.100.7 : masque incorrect sur l\'alias (bruit ARP) [alias-netmask_198.51.100.7_4a453935e2b9a94b]');
    expect(renderEmail(inLocale(case1, 'it'), OPTS).subject).toBe('[Example Hosting] IP failover 198.51.100.7: netmask errata sull\'alias (traffico ARP anomalo) [alias-netmask_198.51.100.7_4a453935e2b9a94b]');
  });

  it('text and HTML state the remediation values of the case, and the configuration carries them', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const e = renderEmail(inLocale(job, locale), OPTS);
        for (const v of [...remediationValues(job), ...FIXTURE_VALUES[job.caseId]]) {
          expect(e.text, `${job.caseId} ${locale} text: ${v}`).toContain(v);
          expect(e.html, `${job.caseId} ${locale} html: ${v}`).toContain(escapeHtml(v));
        }
      }
    }
  });

  it('every sample line verbatim: as is in the text, escaped inside a <pre> in the HTML', () => {
    for (const job of jobs) {
      expect(job.evidence.samples.length).toBeGreaterThan(0);
      for (const locale of LOCALES) {
        const e = renderEmail(inLocale(job, locale), OPTS);
        const pres = [...e.html.matchAll(/<pre[^>]*>([\s\S]*?)<\/pre>/g)].map((m) => m[1]);
        for (const line of job.evidence.samples) {
          expect(e.text.split('\n')).toContain(`    ${line}`);
          expect(pres.some((p) => p.split('\n').includes(escapeHtml(line)))).toBe(true);
        }
      }
    }
  });

  it('the evidence in words: the period, every non-zero count, the window (or the persistence rule that opened it: persistence-note.test.ts)', () => {
    for (const job of jobs) {
      const e = renderEmail(inLocale(job, 'en'), OPTS);
      expect(e.text).toMatch(/From \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d to /);
      for (const [name, n] of Object.entries(job.evidence.counts)) {
        if (n > 0) expect(e.text.replace(/\s+/g, ' ')).toContain(COMMON.en.signal(name, n, job.ip).map((x) => (typeof x === 'string' ? x : x.code)).join(''));
      }
      expect(e.text.replace(/\s+/g, ' ')).toContain(job.evidence.persistence === undefined ? `sliding window of ${job.evidence.windowSeconds} seconds` : `stay under the threshold of our ${job.evidence.windowSeconds}-second window`);
    }
  });

  it('the period holds the frames it shows: it starts at the first sample frame when the incident opened after it (an unanswered request counts at its timeout)', () => {
    for (const job of jobs) {
      const first = /^\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d)/.exec(job.evidence.samples[0])![1];
      expect(job.evidence.firstFrameAt, job.caseId).toBeDefined();
      expect(renderEmail(inLocale(job, 'en'), OPTS).text.replace(/\s+/g, ' '), job.caseId).toMatch(new RegExp(`From \\d{1,2} [A-Z][a-z]+ \\d{4}, ${first} to `));
    }
    const alias = jobs.find((j) => j.caseId === 'alias-netmask')!;
    // opened at 09:01:09, when its first request (sent 09:01:06) had gone 3 s unanswered
    expect(alias.evidence.openedAt).toBe('2026-11-02T09:01:09.556706Z');
    for (const [locale, from] of [['en', 'From 2 November 2026, 09:01:06 to 09:06:02 UTC'], ['fr', 'Le 2 novembre 2026, de 09:01:06 à 09:06:02 UTC'], ['it', 'Il 2 novembre 2026, dalle 09:01:06 alle 09:06:02 UTC']] as const) {
      expect(renderEmail(inLocale(alias, locale), OPTS).text.replace(/\s+/g, ' ')).toContain(from);
    }
    // a job queued before the first frame's time was carried: from the opening, as then
    const old = { ...alias, evidence: { ...alias.evidence, firstFrameAt: undefined } };
    expect(renderEmail(inLocale(old, 'en'), OPTS).text.replace(/\s+/g, ' ')).toContain('From 2 November 2026, 09:01:09 to 09:06:02 UTC');
  });

  it('a single frame of evidence is "this frame", not "the first of these frames"; more are "the first of these frames"', () => {
    const one = jobs.find((j) => j.ip === '192.0.2.15')!;
    expect(one.evidence.samples).toHaveLength(1);
    const many = jobs.find((j) => j.caseId === 'alias-netmask')!;
    const words = { en: ['This frame, as tcpdump prints it', 'The first of these frames'], fr: ["Cette trame, telle que tcpdump l'affiche", 'Les premières de ces trames'], it: ['Questo frame, così come lo mostra tcpdump', 'I primi di questi frame'] };
    for (const locale of LOCALES) {
      const [single, plural] = words[locale];
      const text = (j: EmailJob): string => renderEmail(inLocale(j, locale), OPTS).text.replace(/\s+/g, ' ');
      expect(text(one), locale).toContain(single);
      expect(text(one), locale).not.toContain(plural);
      expect(text(many), locale).toContain(plural);
    }
  });

  it('the self-check: tcpdump on the IP, with what to see and not to see', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const L = COMMON[locale];
        const e = renderEmail(inLocale(job, locale), OPTS);
        const cmd = `tcpdump -nn -e -i eth0 arp and host ${job.ip}`;
        expect(e.text).toContain(cmd);
        expect(e.html).toContain(cmd);
        const text = e.text.replace(/\s+/g, ' ');
        const words = (xs: (string | { code: string })[]): string => xs.map((x) => (typeof x === 'string' ? x : x.code)).join('').replace(/\s+/g, ' ');
        expect(text).toContain(words(L.good));
        expect(text).toContain(words(L.bad));
      }
    }
  });

  it('why we write, the FAQ, the vRack remark and the signature are in every email', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const L = COMMON[locale];
        const e = renderEmail(inLocale(job, locale), OPTS);
        const faq = L.typography(L.title.faq);
        for (const s of [L.title.why, faq, 'vRack', L.signoff, job.incidentId, job.customer.name]) {
          expect(e.text, `${job.caseId} ${locale}: ${s}`).toContain(s);
          expect(e.html, `${job.caseId} ${locale}: ${s}`).toContain(escapeHtml(s));
        }
        expect(e.text).toContain(L.signature('Example Hosting'));
      }
    }
    const fr = renderEmail(inLocale(jobs[0], 'fr'), { ...OPTS, provider: 'Acme Hosting' });
    expect(fr.text).toContain("L'équipe réseau (NOC) d'Acme Hosting");
  });

  it('no template placeholder is left', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const e = renderEmail(inLocale(job, locale), OPTS);
        for (const part of [e.subject, e.text, e.html]) {
          expect(part).not.toMatch(/\bundefined\b|\bnull\b|\bNaN\b|\$\{|\[object Object\]|\{\{/);
        }
      }
    }
  });

  it('the HTML is well-formed: balanced tags, everything else escaped', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const e = renderEmail(inLocale(job, locale), OPTS);
        expect(e.html.startsWith('<!DOCTYPE html>\n')).toBe(true);
        expect(e.html).toContain(`<html lang="${locale}">`);
        expectWellFormed(e.html);
      }
    }
  });

  it('locales differ and read as their language', () => {
    const greet: Record<Locale, string> = { en: 'Hello,', fr: 'Bonjour,', it: 'Buongiorno,' };
    for (const job of jobs) {
      const texts = LOCALES.map((l) => renderEmail(inLocale(job, l), OPTS).text);
      expect(new Set(texts).size).toBe(3);
      LOCALES.forEach((l, i) => expect(texts[i].startsWith(greet[l])).toBe(true));
      const subjects = LOCALES.map((l) => renderEmail(inLocale(job, l), OPTS).subject);
      expect(new Set(subjects).size).toBe(3);
    }
  });

  it('uses the customer\'s own locale, and English for a locale it does not know', () => {
    for (const job of jobs) {
      const own = renderEmail(job, OPTS);
      expect(own.text).toBe(renderEmail(inLocale(job, job.customer.locale), OPTS).text);
      const odd = { ...job, customer: { ...job.customer, locale: 'de' } } as unknown as EmailJob;
      expect(renderEmail(odd, OPTS).text).toBe(renderEmail(inLocale(job, 'en'), OPTS).text);
    }
  });

  it('prose is wrapped at 72 columns in the text part (verbatim blocks and tables excepted)', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        for (const line of renderEmail(inLocale(job, locale), OPTS).text.split('\n')) {
          if (line.length > 72) expect(line.startsWith('    ') || !line.includes(' '), line).toBe(true);
        }
      }
    }
  });

  it('is deterministic', () => {
    for (const job of jobs) expect(renderEmail(job, OPTS)).toEqual(renderEmail(structuredClone(job), OPTS));
  });
});

describe('renderEmail: addresses, identity and headers', () => {
  it('to the customer, from and reply-to as given, and the NOC signature when given', () => {
    const job = jobs[0];
    const e = renderEmail(job, { ...OPTS, nocSignature: 'Jane Roe\nExample Hosting NOC, +33 1 00 00 00 00' });
    expect(e.to).toBe(job.customer.email);
    expect(e.from).toBe(OPTS.from);
    expect(e.replyTo).toBe(OPTS.replyTo);
    expect(e.text).toContain('Jane Roe\nExample Hosting NOC, +33 1 00 00 00 00\n');
    expect(e.html).toContain('Jane Roe<br>Example Hosting NOC, +33 1 00 00 00 00');
    expect(e.text).not.toContain(COMMON[job.customer.locale].signature('Example Hosting'));
  });

  it('a stable Message-ID per incident: the job id, made a valid dot-atom', () => {
    const ids = new Set<string>();
    for (const job of jobs) {
      const e = renderEmail(job, OPTS);
      expect(e.messageId).toMatch(/^<[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*@example\.net>$/);
      expect(renderEmail(inLocale(structuredClone(job), 'it'), { ...OPTS, provider: 'Other' }).messageId).toBe(e.messageId);
      ids.add(e.messageId);
    }
    expect(ids.size).toBe(jobs.length);
    expect(messageIdFor('alias-netmask:198.51.100.7:4a453935e2b9a94b', 'provider.example')).toBe('<alias-netmask_198.51.100.7_4a453935e2b9a94b@provider.example>');
    expect(messageIdFor('..a b@c..', 'p.example')).toBe('<a_b_c@p.example>');
    expect(messageIdFor('...', 'p.example')).toBe('<job@p.example>');
  });

  it('the Message-ID takes the domain of the sender, or the one configured', () => {
    const job = jobs[0];
    expect(renderEmail(job, { ...OPTS, from: 'NOC <noc@Mail.Provider.Example>' }).messageId).toBe(`<${emailId(job.jobId)}@mail.provider.example>`);
    expect(renderEmail(job, { ...OPTS, messageIdDomain: 'ids.provider.example' }).messageId).toBe(`<${emailId(job.jobId)}@ids.provider.example>`);
  });

  it('one id per email: the subject reference, X-Arpwarden-Id, the Message-ID local part and the reference line are the stored job id', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const e = renderEmail(inLocale(job, locale), OPTS);
        const id = storedJobId(job.jobId);
        expect(e.subject.endsWith(` [${id}]`)).toBe(true);
        expect(e.headers['X-Arpwarden-Id']).toBe(id);
        expect(e.messageId).toBe(`<${id}@example.net>`);
        const lines = e.text.split('\n');
        const ref = lines.findIndex((l) => l.endsWith(job.incidentId));
        expect(lines[ref - 1]).toMatch(new RegExp(`^\\S+\\s?: ${id}$`));
      }
    }
  });

  it('headers: the case, the incident, auto-generated', () => {
    for (const job of jobs) {
      const e = renderEmail(job, OPTS);
      expect(e.headers['X-Arpwarden-Case']).toBe(job.caseId);
      expect(e.headers['X-Arpwarden-Incident']).toBe(job.incidentId);
      expect(e.headers['Auto-Submitted']).toBe('auto-generated');
    }
    const forged = { ...jobs[0], incidentId: 'x\r\nBcc: victim@example.com' };
    expect(renderEmail(forged, OPTS).headers['X-Arpwarden-Incident']).not.toMatch(/[\r\n]/);
  });

  it('a job of a case with no template is refused', () => {
    const bad = { ...jobs[0], caseId: 'noise' } as unknown as EmailJob;
    expect(() => renderEmail(bad, OPTS)).toThrow(/no email template for case noise/);
  });
});

describe('renderEmail escapes every inventory value in the HTML', () => {
  const NAME = `<script>alert("x")</script> & "Rossi" 'Srl'`;
  const SERVER = `srv-<b>&"'`;

  it('customer name and server id: escaped in the HTML, as they are in the text', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        const evil: EmailJob = {
          ...inLocale(job, locale),
          customer: { ...job.customer, locale, name: NAME },
          server: job.server === null ? null : { ...job.server, id: SERVER },
          staleServer: job.staleServer === null ? null : { ...job.staleServer, id: SERVER },
        };
        const e = renderEmail(evil, OPTS);
        expect(e.text).toContain(NAME);
        expect(e.html).not.toContain('<script>');
        expect(e.html).not.toContain('<b>');
        expect(e.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Rossi&quot; &#39;Srl&#39;');
        if (job.server !== null || job.staleServer !== null) {
          expect(e.text).toContain(SERVER);
          expect(e.html).toContain('srv-&lt;b&gt;&amp;&quot;&#39;');
        }
        expectWellFormed(e.html);
      }
    }
  });
});
