/** Case 1a, wrong netmask for an unsplit block, in English. */
import type { BlockNetmaskText } from '../../templates/block-netmask.js';
import { mainIp, serverGateway, serverSuffix } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';

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
};
