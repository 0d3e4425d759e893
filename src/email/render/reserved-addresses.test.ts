/**
 * No email tells a customer to give a machine an address it cannot have: a block's network or broadcast address,
 * or a portable block's gateway. Over every email the case captures give (one IP each, and the grouped ones, as
 * docs/emails.md shows them), in every locale: every address a configuration snippet assigns is a usable one.
 */
import { describe, expect, it } from 'vitest';
import { caseEmailJobs, groupedEmailJobs } from '../../../fixtures/email-jobs.js';
import { LOCALES } from '../../common/locales.js';
import { jobIps } from '../job.js';
import { renderEmail } from './render.js';

const OPTS = { from: 'Example Hosting NOC <noc@example.net>', replyTo: 'noc@example.net', provider: 'Example Hosting' };
const IP = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
/** the snippets' assignments: ifupdown's address, netplan's list, NetworkManager's set or +, Windows' New-NetIPAddress */
const ASSIGN = [
  new RegExp(String.raw`^ +address (${IP})$`, 'gm'),
  new RegExp(String.raw`^ +- (${IP})/\d+$`, 'gm'),
  new RegExp(String.raw`(?:^|\s)(?:\+)?ipv4\.addresses (${IP})/`, 'gm'),
  new RegExp(String.raw`New-NetIPAddress .*-IPAddress (${IP})`, 'gm'),
];

function assigned(text: string): string[] {
  return ASSIGN.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
}

describe('the configuration an email gives assigns usable addresses only', () => {
  it('never a block\'s network or broadcast address, nor a portable block\'s gateway, in any case email or grouped email', async () => {
    const jobs = [...(await caseEmailJobs()), ...(await groupedEmailJobs())];
    let checked = 0;
    for (const job of jobs) {
      const b = job.remediation.block;
      if (b === undefined) continue;
      const reserved = new Set([b.network, b.broadcast, ...(job.caseId === 'portable-block-unusable' ? [job.remediation.gateway!] : [])]);
      for (const locale of LOCALES) {
        const text = renderEmail({ ...job, customer: { ...job.customer, locale } }, OPTS).text;
        const got = assigned(text);
        checked += got.length;
        for (const a of got) expect(reserved.has(a), `${job.caseId} ${jobIps(job).join('+')} ${locale}: assigns ${a}`).toBe(false);
      }
    }
    // the patterns do find the snippets' addresses (a change of format must not make this pass on nothing)
    expect(checked).toBeGreaterThan(30);
  });

  it('an unsplit block has no gateway address: what its email says it saw names none (the count read "network, gateway or broadcast")', async () => {
    const jobs = (await caseEmailJobs()).filter((j) => j.caseId === 'block-netmask' && (j.evidence.counts.unusable_address ?? 0) > 0);
    expect(jobs.map((j) => j.ip)).toEqual(['192.0.2.15']);
    const saw = { en: /What we saw\n[\s\S]*?\nHow to check/, fr: /Ce que nous avons observé\n[\s\S]*?\nVérifier par vous-même/, it: /Cosa abbiamo osservato\n[\s\S]*?\nCome verificarlo/ };
    for (const locale of LOCALES) {
      const text = renderEmail({ ...jobs[0], customer: { ...jobs[0].customer, locale } }, OPTS).text;
      const section = saw[locale].exec(text)?.[0];
      expect(section, locale).toBeDefined();
      expect(section, locale).toMatch(/reserved address of the block|adresse réservée du bloc|indirizzo riservato del blocco/);
      expect(section, locale).not.toMatch(/gateway|passerelle/);
    }
  });

  it('the patterns catch an assignment of each system', () => {
    expect(assigned('    address 192.0.2.15\n        - 192.0.2.15/28\nnmcli connection modify eth0 -ipv4.addresses 192.0.2.15/24 +ipv4.addresses 192.0.2.15/28\nNew-NetIPAddress -InterfaceAlias "Ethernet" -IPAddress 192.0.2.15 -PrefixLength 28'))
      .toEqual(['192.0.2.15', '192.0.2.15', '192.0.2.15', '192.0.2.15']);
    // a removal is not an assignment
    expect(assigned('nmcli connection modify eth0 -ipv4.addresses 192.0.2.15/PREFIX\nRemove-NetIPAddress -IPAddress 192.0.2.15 -Confirm:$false')).toEqual([]);
  });
});
