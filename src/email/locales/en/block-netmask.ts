/** Case 1a, wrong netmask for an unsplit block, in English. */
import type { BlockNetmaskText } from '../../templates/block-netmask.js';
import { mainIp, serverGateway, serverSuffix } from '../../templates/context.js';
import { code, p, para, pre, t } from '../../templates/doc.js';
import { FILES, removeNm, removeNow, removeWin } from '../../templates/duplicate-ip.js';

export const blockNetmask: BlockNetmaskText = {
  subject: (x, b) => `IP ${x.ip} (block ${b.cidr}): wrong netmask for the block`,
  summary: (x, b) =>
    p`Our monitoring has found a configuration problem on ${x.ip}, an address of the IP block ${b.cidr} routed to your server${serverSuffix(x)}. This block is not split: its addresses are used together, with the block's own netmask and broadcast. ${x.ip} is configured with a wider netmask, so your server believes that addresses outside the block are on its network, and keeps asking for them by ARP.`,
  misuse: (b) => p`We also see the block's network address (${b.network}) or its broadcast address (${b.broadcast}) used as a sender: neither can be given to a machine.`,
  fixIntro: p`Use the values from the allocation email of the block, for every address of the block that you configure:`,
  notUsable: (b) => t`${code(b.network)} (network), ${code(b.broadcast)} (broadcast)`,
  noGateway: (x) => t`none on these addresses: the block is routed to ${mainIp(x)}, and your server keeps its default route via ${serverGateway(x)}`,
  forIp: (ip) => p`For ${ip}, the configuration becomes:`,
  badSender: (b) => t`the block's network or broadcast address as a sender (${code(`tell ${b.network}`)}, ${code(`tell ${b.broadcast}`)})`,
  reserved: {
    role: { network: "the block's network address", broadcast: "the block's broadcast address" },
    subject: (x, b) => `IP ${x.ip} (block ${b.cidr}): reserved address in use`,
    summary: (x, b, role) =>
      p`Our monitoring has found a configuration problem in the IP block ${b.cidr} routed to your server${serverSuffix(x)}: your server uses ${x.ip}, ${role}, as one of its own addresses. This block is not split: its first address (${b.network}) is its network address and its last (${b.broadcast}) its broadcast address, and neither can be given to a machine. This usually happens when every address of the block has been configured, with a netmask wider than the block's.`,
    remove: (x, b) => [
      p`On your server, find ${x.ip} and remove it now:`,
      pre(removeNow(x.ip, x.L.prefixWord)),
      p`(writing in place of ${code(x.L.prefixWord)} and ${code('eth0')} the prefix and the interface that the first command shows). Then remove it from the configuration, so that it does not come back at the next reboot: the lines of ${x.ip} in ${FILES.interfaces} (or ${FILES.interfacesD}), in ${FILES.netplan}, or with NetworkManager:`,
      pre(removeNm(x.ip, x.L.prefixWord)),
      para(x.L.nmPrefixNote(x.ip, null)),
      p`On Windows Server, in PowerShell as administrator (the change is kept across reboots):`,
      pre(removeWin(x.ip)),
      p`Put no other address in its place. The other addresses of the block that you use, from ${b.firstUsable} to ${b.lastUsable}, take the netmask and broadcast above, and no gateway.`,
    ],
    saw: (x, role) => p`Each line is sent by your server (MAC ${x.job.mac}) with ${x.ip}, ${role}, as its sender.`,
    gone: (x, ipAddr) => p`And in the configuration: ${ipAddr} must no longer list ${x.ip}.`,
    works: (x, b, role) =>
      p`The router sends all traffic for ${b.cidr} to your server through a static route to ${mainIp(x)}, so even ${x.ip} answers. But it can only be configured with a netmask wider than the block's: with the block's own netmask, which the other addresses of the block need, ${x.ip} is ${role}, and no machine can use it as its own address.`,
  },
};
