/** Case 1b, wrong netmask on an address of a split block, in English. */
import { serverSuffix } from '../../templates/context.js';
import { p } from '../../templates/doc.js';
import type { SplitBlockText } from '../../templates/split-block.js';

export const splitBlock: SplitBlockText = {
  subject: (x, cidr) => `IP ${x.ip} (split block ${cidr}): wrong netmask on the alias`,
  summary: (x, cidr) =>
    p`Our monitoring has found a configuration problem on ${x.ip}, an address of the IP block ${cidr}, routed to your server${serverSuffix(x)}. This block is split: its addresses are used one by one, each like a failover IP, so the rules of a failover IP apply: netmask 255.255.255.255 and no gateway of its own. ${x.ip} is configured with a wider netmask, so your server believes that the neighbouring addresses are on its own network, and keeps asking for them by ARP.`,
  fixIntro: (x, m) => p`Because the block is split, do not use the block's netmask (${m}) here: configure ${x.ip} as a single failover IP. On the alias, set:`,
};
