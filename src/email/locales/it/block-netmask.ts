/** Case 1a, wrong netmask for an unsplit block, in Italian. */
import type { BlockNetmaskText } from '../../templates/block-netmask.js';
import { mainIp, serverGateway, serverSuffix } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';

export const blockNetmask: BlockNetmaskText = {
  subject: (x, b) => `IP ${x.ip} (blocco ${b.cidr}): netmask errata per il blocco`,
  summary: (x, b) =>
    p`Il nostro monitoraggio ha rilevato un problema di configurazione su ${x.ip}, un indirizzo del blocco di IP ${b.cidr} instradato verso il vostro server${serverSuffix(x)}. Questo blocco non è suddiviso: i suoi indirizzi si usano insieme, con la netmask e il broadcast propri del blocco. ${x.ip} invece è configurato con una netmask più ampia: il server crede quindi che indirizzi esterni al blocco siano sulla sua rete, e continua a cercarli via ARP.`,
  misuse: (b) => p`Inoltre l'indirizzo di rete del blocco (${b.network}) o quello di broadcast (${b.broadcast}) compare come mittente: nessuno dei due può essere assegnato a una macchina.`,
  fixIntro: p`Usate i valori dell'email di assegnazione del blocco, per ogni indirizzo del blocco che configurate:`,
  notUsable: (b) => t`${code(b.network)} (rete), ${code(b.broadcast)} (broadcast)`,
  noGateway: (x) => t`nessuno su questi indirizzi: il blocco è instradato verso ${mainIp(x)}, e il server mantiene la sua route di default via ${serverGateway(x)}`,
  forIp: (ip) => p`Per ${ip} la configurazione diventa:`,
  badSender: (b) => t`l'indirizzo di rete o di broadcast del blocco come mittente (${code(`tell ${b.network}`)}, ${code(`tell ${b.broadcast}`)})`,
};
