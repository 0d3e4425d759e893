/**
 * Each configuration snippet, per case, per system, per locale: the commands the customer pastes,
 * from the case captures' jobs (their fix section as the email states it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import { LOCALES, type Locale } from '../../common/locales.js';
import type { EmailJob } from '../job.js';
import { LOCALE_TEXTS } from '../locales/registry.js';
import { caseText } from './case-text.js';
import { makeCtx } from './context.js';
import type { Block, Inline } from './doc.js';
import { likelyPrefix } from './snippets.js';
import { reservedRole } from './block-netmask.js';

type System = 'debian' | 'netplan' | 'nm' | 'windows';
const SYSTEMS: System[] = ['debian', 'netplan', 'nm', 'windows'];

/** the jobs whose fix removes the address instead of configuring it: a duplicate, an unsplit block's network or broadcast address */
const removes = (j: EmailJob): boolean => j.caseId === 'duplicate-ip' || (j.caseId === 'block-netmask' && reservedRole(j.ip, j.remediation.block!) !== null);

const same = (a: Inline[], b: Inline[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The lines under each system's sentence in the fix, for every time the email gives them (case 3: the VM's). */
function snippets(job: EmailJob, locale: Locale): Record<System, string[][]> {
  const T = LOCALE_TEXTS[locale];
  const fix = caseText(job.caseId, makeCtx({ ...job, customer: { ...job.customer, locale } }, T)).fix;
  const out: Record<System, string[][]> = { debian: [], netplan: [], nm: [], windows: [] };
  fix.forEach((b: Block, i) => {
    if (b.kind !== 'p') return;
    for (const s of SYSTEMS) {
      const next = fix[i + 1];
      if (same(b.parts, T.common.distro[s]) && next?.kind === 'pre') out[s].push(next.lines);
    }
  });
  return out;
}

const WIN = '-InterfaceAlias "Ethernet"';
const winList = `Get-NetIPAddress ${WIN} -AddressFamily IPv4 | Format-Table IPAddress, PrefixLength`;
const winClear = [
  `Set-NetIPInterface ${WIN} -Dhcp Disabled`,
  `Remove-NetIPAddress ${WIN} -AddressFamily IPv4 -Confirm:$false`,
  `Remove-NetRoute ${WIN} -DestinationPrefix 0.0.0.0/0 -Confirm:$false -ErrorAction SilentlyContinue`,
];
const nmList = 'nmcli -g ipv4.addresses connection show eth0';
const onLinkNm = (ip: string, g: string): string[] => [
  `nmcli connection modify eth0 ipv4.method manual ipv4.addresses ${ip}/32 \\`,
  `    ipv4.gateway "" ipv4.routes "0.0.0.0/0 ${g} onlink=true"`,
  'nmcli connection up eth0',
];
const onLinkWin = (ip: string, g: string): string[] => [
  winList, ...winClear,
  `New-NetIPAddress ${WIN} -IPAddress ${ip} -PrefixLength 32`,
  `New-NetRoute ${WIN} -DestinationPrefix ${g}/32 -NextHop 0.0.0.0`,
  `New-NetRoute ${WIN} -DestinationPrefix 0.0.0.0/0 -NextHop ${g}`,
];
const aliasWin = (ip: string, prefix: number): string[] => [winList, `Remove-NetIPAddress -IPAddress ${ip} -Confirm:$false`, `New-NetIPAddress ${WIN} -IPAddress ${ip} -PrefixLength ${prefix} -SkipAsSource $true`];
const aliasNm = (ip: string, today: string, prefix: number): string[] => [nmList, `nmcli connection modify eth0 -ipv4.addresses ${ip}/${today} +ipv4.addresses ${ip}/${prefix}`, 'nmcli connection up eth0'];

/** What each case's email must give, per system: `P` is the locale's placeholder for today's prefix. */
function expected(job: EmailJob, P: string): Partial<Record<System, string[][]>> {
  const ip = job.ip;
  switch (job.caseId) {
    case 'alias-netmask':
      // the server asked for addresses across 198.51.100.0/25: a /24 alias, most likely
      return { nm: [aliasNm(ip, '24', 32)], windows: [aliasWin(ip, 32)], debian: [['auto eth0:0', 'iface eth0:0 inet static', `    address ${ip}`, '    netmask 255.255.255.255', `    broadcast ${ip}`]] };
    case 'split-block':
      // every request inside the split /28: the block's netmask on the address
      return { nm: [aliasNm(ip, '28', 32)], windows: [aliasWin(ip, 32)] };
    case 'block-netmask':
      // 192.0.2.5 asked across 192.0.2.0/24 (192.0.2.15, the block's broadcast, is removed: see `removes`)
      return { nm: [aliasNm(ip, ip === '192.0.2.5' ? '24' : P, 28)], windows: [aliasWin(ip, 28)], netplan: [['network:', '  version: 2', '  ethernets:', '    eth0:', '      addresses:', expect.stringMatching(/^ {8}# /) as unknown as string, `        - ${ip}/28`]] };
    case 'vmac-gateway':
    case 'vmac-missing':
      return { nm: [onLinkNm(ip, '203.0.113.254')], windows: [onLinkWin(ip, '203.0.113.254')], debian: [['auto eth0', 'iface eth0 inet static', `    address ${ip}`, '    netmask 255.255.255.255', '    pointopoint 203.0.113.254', '    gateway 203.0.113.254']] };
    case 'vm-nat-gateway':
      return { nm: [onLinkNm(ip, '203.0.113.31')], windows: [onLinkWin(ip, '203.0.113.31')] };
    case 'portable-block-unusable': {
      // a reserved address's machine moves to the first usable address not seen in use (.66 and .67 were); the
      // gateway's address, an email apart, to the last
      const use = ip === '198.51.100.71' ? '198.51.100.68' : ip === '198.51.100.65' ? '198.51.100.70' : ip;
      return {
        nm: [[`nmcli connection modify eth0 ipv4.method manual ipv4.addresses ${use}/29 ipv4.gateway 198.51.100.65 ipv4.routes ""`, 'nmcli connection up eth0']],
        windows: [[winList, ...winClear, `New-NetIPAddress ${WIN} -IPAddress ${use} -PrefixLength 29 -DefaultGateway 198.51.100.65`]],
      };
    }
    case 'duplicate-ip':
      return {};
  }
}

describe('configuration snippets, per case, per system, in every locale', () => {
  let jobs: EmailJob[];
  beforeAll(async () => {
    jobs = await caseEmailJobs();
  });

  it('every case that configures an address or a gateway gives ifupdown, netplan, NetworkManager and Windows Server, with the values above', () => {
    for (const job of jobs) {
      if (removes(job)) continue;
      for (const locale of LOCALES) {
        const got = snippets(job, locale);
        for (const s of SYSTEMS) expect(got[s].length, `${job.caseId} ${job.ip} ${locale} ${s}`).toBe(1);
        const want = expected(job, LOCALE_TEXTS[locale].common.prefixWord);
        for (const s of SYSTEMS) if (want[s] !== undefined) expect(got[s], `${job.caseId} ${job.ip} ${locale} ${s}`).toEqual(want[s]);
      }
    }
  });

  it('NetworkManager never adds an address beside the wrong one: a + comes after the - of the same address, in one command', () => {
    for (const job of jobs) {
      for (const locale of LOCALES) {
        for (const lines of snippets(job, locale).nm) {
          for (const l of lines.filter((x) => x.includes('+ipv4.addresses'))) expect(l, `${job.caseId} ${locale}`).toMatch(new RegExp(`-ipv4\\.addresses ${job.ip.replaceAll('.', '\\.')}/\\S+ \\+ipv4\\.addresses ${job.ip.replaceAll('.', '\\.')}/`));
          expect(lines[0] === nmList || !lines.join('\n').includes('-ipv4.addresses'), `${job.caseId} ${locale}: a removal is preceded by the list`).toBe(true);
        }
      }
    }
  });

  it('duplicate-ip, and an unsplit block\'s broadcast address in use: removed now, from NetworkManager and from Windows with the prefix it has (no hard-coded /32), never configured', () => {
    const removed = jobs.filter(removes);
    expect(removed.map((j) => `${j.caseId} ${j.ip}`).sort()).toEqual(['block-netmask 192.0.2.15', 'duplicate-ip 198.51.100.32']);
    for (const job of removed) for (const locale of LOCALES) {
      const P = LOCALE_TEXTS[locale].common.prefixWord;
      const fix = caseText(job.caseId, makeCtx({ ...job, customer: { ...job.customer, locale } }, LOCALE_TEXTS[locale])).fix;
      const pres = fix.filter((b): b is Extract<Block, { kind: 'pre' }> => b.kind === 'pre').map((b) => b.lines);
      expect(pres).toEqual([
        [`ip -4 addr show | grep ${job.ip}`, `ip addr del ${job.ip}/${P} dev eth0`],
        [nmList, `nmcli connection modify eth0 -ipv4.addresses ${job.ip}/${P}`, 'nmcli connection up eth0'],
        [`Get-NetIPAddress -IPAddress ${job.ip} | Format-Table InterfaceAlias, IPAddress, PrefixLength`, `Remove-NetIPAddress -IPAddress ${job.ip} -Confirm:$false`],
      ]);
      // the prose tells what to write in place of the placeholder
      const prose = fix.flatMap((b) => (b.kind === 'p' ? b.parts : [])).map((x) => (typeof x === 'string' ? x : x.code));
      expect(prose.filter((x) => x === P).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('Windows commands that replace a machine\'s whole configuration say to run them from its console; the host\'s alias says why SkipAsSource', () => {
    for (const job of jobs) {
      if (removes(job)) continue;
      for (const locale of LOCALES) {
        const T = LOCALE_TEXTS[locale];
        const fix = caseText(job.caseId, makeCtx({ ...job, customer: { ...job.customer, locale } }, T)).fix;
        const at = fix.findIndex((b) => b.kind === 'p' && same(b.parts, T.common.distro.windows));
        const note = fix[at + 2];
        const onHost = ['alias-netmask', 'split-block', 'block-netmask'].includes(job.caseId);
        const want = onHost ? T.common.windowsAliasNote(job.server!.ip, job.ip) : T.common.windowsConsoleNote;
        expect(note?.kind === 'p' && same(note.parts, want), `${job.caseId} ${locale}`).toBe(true);
      }
    }
  });

  it('case 3: the host\'s routing is given for Windows Server (Hyper-V) too, the exact counterpart of the Linux one: switch without a physical port, M/32 on it, F routed to it, forwarding on, no NAT', () => {
    const job = jobs.find((j) => j.caseId === 'vm-nat-gateway')!;
    const M = job.server!.ip;
    const VS = '-InterfaceAlias "vEthernet (vmbr1)"';
    for (const locale of LOCALES) {
      const fix = caseText(job.caseId, makeCtx({ ...job, customer: { ...job.customer, locale } }, LOCALE_TEXTS[locale])).fix;
      const pres = fix.filter((b): b is Extract<Block, { kind: 'pre' }> => b.kind === 'pre').map((b) => b.lines);
      const linux = pres.findIndex((l) => l.includes(`    up ip route add ${job.ip}/32 dev vmbr1`));
      expect(pres[linux], locale).toContain(`    address ${M}`);
      expect(pres[linux + 1], locale).toEqual(["echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-ip-forward.conf", 'sysctl --system']);
      expect(pres[linux + 2], locale).toEqual([
        'New-VMSwitch -Name "vmbr1" -SwitchType Internal',
        'Connect-VMNetworkAdapter -VMName VM -SwitchName "vmbr1"',
        `New-NetIPAddress ${VS} -IPAddress ${M} -PrefixLength 32 -SkipAsSource $true`,
        `New-NetRoute ${VS} -DestinationPrefix ${job.ip}/32 -NextHop 0.0.0.0`,
        `Set-NetIPInterface ${VS} -Forwarding Enabled`,
        `Set-NetIPInterface ${WIN} -Forwarding Enabled`,
      ]);
      expect(pres.flat().some((l) => l.includes('New-NetNat')), `${locale}: F is routed, not translated`).toBe(false);
      // the sentence before it names the system, in the locale's words
      const at = fix.findIndex((b) => b.kind === 'pre' && b.lines[0]?.startsWith('New-VMSwitch'));
      const prose = fix[at - 1];
      expect(prose?.kind === 'p' && prose.parts.some((x) => typeof x === 'string' && x.includes('Hyper-V')), locale).toBe(true);
    }
  });

  it('the hypervisors where a virtual MAC is set include Hyper-V, with the MAC as it takes it', () => {
    const job = jobs.find((j) => j.caseId === 'vmac-missing')!;
    for (const locale of LOCALES) {
      const fix = caseText(job.caseId, makeCtx({ ...job, customer: { ...job.customer, locale } }, LOCALE_TEXTS[locale])).fix;
      const codes = fix.flatMap((b) => (b.kind === 'ul' ? b.items.flat() : [])).filter((x) => typeof x !== 'string').map((x) => x.code);
      expect(codes).toContain('Set-VMNetworkAdapter -VMName VM -StaticMacAddress 0200003F217E');
    }
  });
});

describe('likelyPrefix', () => {
  it('the narrowest network holding the IP and what it asked for: the block\'s prefix inside it, else at most /24; nothing from far-off targets', () => {
    expect(likelyPrefix('198.51.100.7', ['198.51.100.22', '198.51.100.90'], null)).toBe(24);
    expect(likelyPrefix('198.51.100.7', ['198.51.101.9'], null)).toBe(23);
    expect(likelyPrefix('192.0.2.19', ['192.0.2.25', '192.0.2.17'], 28)).toBe(28);
    expect(likelyPrefix('192.0.2.5', ['192.0.2.200'], 28)).toBe(24);
    expect(likelyPrefix('192.0.2.15', ['203.0.113.254'], 28)).toBeNull();
    expect(likelyPrefix('192.0.2.15', [], null)).toBeNull();
  });
});
