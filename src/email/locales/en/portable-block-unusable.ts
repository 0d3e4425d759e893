/** Portable block: a reserved address in use, or the wrong gateway, in English. */
import { addressList } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';
import type { PortableBlockUnusableText } from '../../templates/portable-block-unusable.js';
import { whoHas } from '../../templates/snippets.js';

export const portableBlockUnusable: PortableBlockUnusableText = {
  subject: (x, v) => `IP ${x.ip} (portable block ${v.b.cidr}): ${v.role === null ? 'wrong gateway' : 'reserved address in use'}`,
  role: { network: "the block's network address", gateway: "the block's gateway address", broadcast: "the block's broadcast address" },
  reserved: (x, v, role) =>
    p`Our monitoring has found a configuration problem in your portable block ${v.b.cidr}: a machine on your VLAN (MAC ${v.seen}) uses ${x.ip}, ${role}, as its own address. In a portable block the first address is the network, the second the gateway and the last the broadcast: these three cannot be given to a server or a virtual machine.`,
  gatewayTaken: p`The gateway address belongs to our router: a machine that takes it competes with the router, and can cut off every machine of the block.`,
  alsoAsks: (v, asked) => p`It also asks for the gateway ${asked}, which is not the block's: the gateway of ${v.b.cidr} is ${v.gw}.`,
  wrongGateway: (x, v, asked) =>
    p`Our monitoring has found a configuration problem in your portable block ${v.b.cidr}: the machine using ${x.ip} (MAC ${v.seen}) asks for the gateway ${asked}, which is not the block's. The gateway of ${v.b.cidr} is ${v.gw}.`,
  disturbs: p`These frames disturb the whole VLAN (see the questions at the end). The fix takes a few minutes.`,
  notUsable: (v) => t`${code(v.b.network)} (network), ${code(v.gw)} (gateway), ${code(v.b.broadcast)} (broadcast)`,
  move: (x, v) => t`Move the machine that uses ${x.ip} to a free address between ${v.b.firstUsable} and ${v.b.lastUsable}, with netmask ${v.b.netmask} and gateway ${v.gw}.`,
  example: (x, v, free) => {
    if (v.inUse === undefined) return t`For example, with ${free} if it is free:`;
    const seen = v.inUse.length === 0 ? t`Our monitoring saw none of them in use on your VLAN` : t`Our monitoring saw ${addressList(x, v.inUse)} in use on your VLAN, but not ${free}`;
    return t`${seen}. For example, with ${free}, after checking that none of your machines uses it:`;
  },
  noneFree: (v) => t`Our monitoring saw every one of these addresses in use on your VLAN, so we cannot suggest one: free one first, or order a portable IP (see below). In the commands below, write that address in place of ${code(v.use)}:`,
  freeWord: 'FREE_ADDRESS',
  othersMove: {
    one: (ip, to) => (to === null
      ? p`Move the machine that uses ${ip} in the same way, to another free address: we saw no other address free to suggest.`
      : p`Move the machine that uses ${ip} in the same way, to another free address: for example ${to}.`),
    many: (ips, pairs) => (pairs === null
      ? p`Move the machines that use ${ips} in the same way, each to a free address of its own: we saw too few addresses free to suggest one for each.`
      : p`Move the machines that use ${ips} in the same way, each to a free address of its own: for example ${pairs}.`),
    pair: (ip, to) => `${ip} to ${to}`,
  },
  keep: (x, v) => p`Keep ${x.ip} and set its gateway to ${v.gw}:`,
  more: p`If every usable address is taken, order a portable (failover) IP and route it to the main address of one of your VMs: it adds an address without touching the block.`,
  sawReserved: (x, v, role) => p`Each line is sent by ${v.seen} with ${x.ip}, ${role}, as its sender${v.asked === undefined ? '' : `, asking who has ${v.asked}`}.`,
  values: p`The values of your portable block:`,
  sawGateway: (x, v, asked) => p`Each line is the machine using ${x.ip} (MAC ${v.seen}) asking who has ${asked}, instead of the block's gateway, ${v.gw}.`,
  where: 'On the host of the machines of this block, on the bridge they use, or in the VM itself',
  good: (v) => [t`your machines using addresses between ${v.b.firstUsable} and ${v.b.lastUsable} only`, t`requests ${code(`who-has ${v.gw}`)}, each followed by a reply from the gateway`],
  badSender: (x) => t`${x.ip} as a sender (${code(`tell ${x.ip}`)})`,
  badGateway: (x, asked) => t`requests for another gateway, such as ${whoHas(asked, x.ip)}`,
  works: {
    network: () => p`A reserved address can seem to work for the machine that uses it, but the other machines of the block treat it differently: the network and broadcast addresses stand for the whole segment, so what is sent to them reaches every machine, or none. Traffic for this machine gets lost or duplicated, depending on who sends it.`,
    broadcast: () => p`A reserved address can seem to work for the machine that uses it, but the other machines of the block treat it differently: the network and broadcast addresses stand for the whole segment, so what is sent to them reaches every machine, or none. Traffic for this machine gets lost or duplicated, depending on who sends it.`,
    gateway: () => p`A reserved address can seem to work for the machine that uses it, but the gateway address belongs to our router: when your machine answers for it, the other machines of the block send it their Internet traffic instead of sending it to the router. Connections of the whole block then work or fail depending on who answered last.`,
    usable: (v) => p`Your machine receives its traffic because it sits on the block's subnet. Its replies, though, go to ${v.asked ?? 'another address'}, not to its gateway: connections depend on the ARP caches of the moment, work for a while, then stall.`,
  },
};
