/** Duplicate: the IP still configured on a server it is no longer routed to, in English. */
import { serverSuffix } from '../../templates/context.js';
import { code, kv, p, para, pre, t } from '../../templates/doc.js';
import type { DuplicateIpText } from '../../templates/duplicate-ip.js';
import { FILES, full, grep, removeNm, removeNow, removeWin, short } from '../../templates/duplicate-ip.js';

export const duplicateIp: DuplicateIpText = (x, { stale, routed, claimers }) => ({
  subject: `Failover IP ${x.ip}: still configured on server ${stale.id}`,
  summary: [
    p`Our monitoring has found a configuration problem on the failover IP ${x.ip}. It is routed to your server${serverSuffix(x)}, but the server ${short(stale)} still uses it too: we see ${x.ip} from the MAC addresses of both servers, in turns. This usually happens when an IP is moved from one server to another and the old configuration stays in place.`,
    p`These frames disturb the VLAN and send part of the IP's traffic to the wrong server (see the questions at the end). The fix takes a minute, on ${stale.id} only.`,
  ],
  fix: [
    p`Remove ${x.ip} from ${stale.id}, where it is no longer routed:`,
    kv(['Remove from', [full(stale)]], ['Keep on', [full(routed)]]),
    p`On ${stale.id}, find the address and remove it now:`,
    pre(removeNow(x.ip, x.L.prefixWord)),
    p`(writing in place of ${code('PREFIX')} and ${code('eth0')} the prefix and the interface that the first command shows). Then remove it from the configuration, so that it does not come back at the next reboot: the lines of ${x.ip} in ${FILES.interfaces} (or ${FILES.interfacesD}), in ${FILES.netplan}, or with NetworkManager:`,
    pre(removeNm(x.ip, x.L.prefixWord)),
    para(x.L.nmPrefixNote(x.ip, null)),
    p`On Windows Server, in PowerShell as administrator (the change is kept across reboots):`,
    pre(removeWin(x.ip)),
    p`If a virtual machine on ${stale.id} uses ${x.ip}, change that VM's address, or stop it.`,
    p`If you meant ${stale.id} to keep this IP, do the opposite: route it back to ${stale.id} in your control panel, and remove it from ${routed.id}.`,
  ],
  saw: claimers.length > 0 ? [p`The lines alternate between ${claimers}: both servers claim ${x.ip}.`] : [],
  check: {
    where: `On ${stale.id}, and to compare, on ${routed.id}`,
    good: [t`on ${stale.id}: no frame for ${x.ip} at all`, ...(routed.mac === null ? [] : [t`on ${routed.id}: ${x.ip} only with its MAC, ${routed.mac}`])],
    bad: [stale.mac === null ? t`${x.ip} from ${stale.id}` : t`${x.ip} with the MAC of ${stale.id}, ${stale.mac}: a request from it, or ${code(`${x.ip} is-at ${stale.mac}`)}`],
    extra: [p`And on ${stale.id}: ${code(grep(x.ip))} must print nothing.`],
  },
  works: [
    p`The router sends the traffic for ${x.ip} to ${routed.id}, so from the Internet the IP reaches the right server. But ${stale.id} keeps claiming it on the local network: the machines of the VLAN that look it up may get the answer of either server, and the two answers overwrite each other in their ARP tables. Some connections end up on the old server, seemingly at random.`,
  ],
});
