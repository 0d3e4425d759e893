/**
 * Duplicate: the IP is routed to one server and still configured on another
 * (left behind after a reroute), so both claim it. The fix: remove it from
 * the server it is no longer routed to, now and in the configuration files.
 */
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import type { Inline } from './doc.js';
import { code, joinList } from './doc.js';
import { IFACE, nmList } from './snippets.js';

export interface Host {
  id: string;
  ip: string | null;
  mac: string | null;
}

export interface DuplicateValues {
  stale: Host;
  routed: Host;
  /** "0c:… (srv-3100)" for each MAC of the samples, as prose; empty unless two or more */
  claimers: Inline[];
}

/** "srv-3100 (203.0.113.31, MAC 0c:c4:7a:c2:71:06)" */
export const full = (h: Host): string => (h.ip === null ? h.id : `${h.id} (${h.ip}${h.mac === null ? '' : `, MAC ${h.mac}`})`);
/** "srv-3100 (203.0.113.31)" */
export const short = (h: Host): string => (h.ip === null ? h.id : `${h.id} (${h.ip})`);

export const grep = (ip: string): string => `ip -4 addr show | grep ${ip}`;
/** Remove the address now: the first command shows its prefix and interface, which `ip addr del` needs (`prefix`: the locale's placeholder). */
export const removeNow = (ip: string, prefix: string): string[] => [grep(ip), `ip addr del ${ip}/${prefix} dev ${IFACE}`];
/** NetworkManager removes only an entry written as it lists it: list, then remove with that prefix. */
export const removeNm = (ip: string, prefix: string): string[] => [nmList, `nmcli connection modify ${IFACE} -ipv4.addresses ${ip}/${prefix}`, `nmcli connection up ${IFACE}`];
/** Windows Server: the address found and removed, whatever its prefix (the change is kept across reboots). */
export const removeWin = (ip: string): string[] => [`Get-NetIPAddress -IPAddress ${ip} | Format-Table InterfaceAlias, IPAddress, PrefixLength`, `Remove-NetIPAddress -IPAddress ${ip} -Confirm:$false`];
export const FILES = { interfaces: code('/etc/network/interfaces'), interfacesD: code('/etc/network/interfaces.d/'), netplan: code('/etc/netplan/*.yaml') };

/** The case's text in one locale, given the two servers and the MACs that claim the IP. */
export type DuplicateIpText = (x: Ctx, v: DuplicateValues) => CaseText;

export const duplicateIp: CaseTemplate<DuplicateIpText> = (x, text) => {
  const s = x.job.staleServer;
  const r = x.server;
  const stale: Host = s ? { id: s.id, ip: s.ip, mac: s.mac } : { id: x.L.unknown.server, ip: null, mac: null };
  const routed: Host = r ? { id: r.id, ip: r.ip, mac: r.mac } : { id: x.L.unknown.server, ip: null, mac: null };
  const name = (mac: string): string => (mac === stale.mac ? ` (${stale.id})` : mac === routed.mac ? ` (${routed.id})` : '');
  const claimers = x.macs.length > 1 ? joinList(x.macs.map((m) => `${m}${name(m)}`), x.L.and) : [];
  return text(x, { stale, routed, claimers });
};
