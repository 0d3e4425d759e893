/** Case 1b, wrong netmask on an address of a split block, in Italian. */
import { serverSuffix } from '../../templates/context.js';
import { p } from '../../templates/doc.js';
import type { SplitBlockText } from '../../templates/split-block.js';

export const splitBlock: SplitBlockText = {
  subject: (x, cidr) => `IP ${x.ip} (blocco suddiviso ${cidr}): netmask errata sull'alias`,
  summary: (x, cidr) =>
    p`Il nostro monitoraggio ha rilevato un problema di configurazione su ${x.ip}, un indirizzo del blocco di IP ${cidr}, instradato verso il vostro server${serverSuffix(x)}. Questo blocco è suddiviso: i suoi indirizzi si usano uno per uno, ciascuno come un IP failover, e seguono quindi le regole di un IP failover: netmask 255.255.255.255 e nessun gateway proprio. ${x.ip} invece è configurato con una netmask più ampia: il server crede quindi che gli indirizzi vicini si trovino sulla sua stessa rete, e continua a cercarli via ARP.`,
  fixIntro: (x, m) => p`Poiché il blocco è suddiviso, qui non usate la netmask del blocco (${m}): configurate ${x.ip} come un IP failover a sé. Sull'alias impostate:`,
};
