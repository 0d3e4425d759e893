/** Case 1a, wrong netmask for an unsplit block, in Italian. */
import type { BlockNetmaskText } from '../../templates/block-netmask.js';
import { mainIp, serverGateway, serverSuffix } from '../../templates/context.js';
import { code, p, para, pre, t } from '../../templates/doc.js';
import { FILES, removeNm, removeNow, removeWin } from '../../templates/duplicate-ip.js';

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
  reserved: {
    role: { network: "l'indirizzo di rete del blocco", broadcast: "l'indirizzo di broadcast del blocco" },
    subject: (x, b) => `IP ${x.ip} (blocco ${b.cidr}): indirizzo riservato in uso`,
    summary: (x, b, role) =>
      p`Il nostro monitoraggio ha rilevato un problema di configurazione nel blocco di IP ${b.cidr} instradato verso il vostro server${serverSuffix(x)}: il server usa ${x.ip}, ${role}, come uno dei propri indirizzi. Questo blocco non è suddiviso: il suo primo indirizzo (${b.network}) è l'indirizzo di rete e l'ultimo (${b.broadcast}) quello di broadcast, e nessuno dei due può essere assegnato a una macchina. Di solito succede quando sono stati configurati tutti gli indirizzi del blocco, con una netmask più ampia di quella del blocco.`,
    remove: (x, b) => [
      p`Sul server, individuate ${x.ip} e rimuovetelo subito:`,
      pre(removeNow(x.ip, x.L.prefixWord)),
      p`(scrivendo al posto di ${code(x.L.prefixWord)} e di ${code('eth0')} il prefisso e l'interfaccia mostrati dal primo comando). Poi toglietelo dalla configurazione, perché non ricompaia al prossimo riavvio: le righe di ${x.ip} in ${FILES.interfaces} (o ${FILES.interfacesD}), in ${FILES.netplan}, oppure con NetworkManager:`,
      pre(removeNm(x.ip, x.L.prefixWord)),
      para(x.L.nmPrefixNote(x.ip, null)),
      p`Su Windows Server, in PowerShell come amministratore (la modifica resta anche dopo il riavvio):`,
      pre(removeWin(x.ip)),
      p`Non mettete nessun altro indirizzo al suo posto. Gli altri indirizzi del blocco che usate, da ${b.firstUsable} a ${b.lastUsable}, prendono la netmask e il broadcast indicati sopra, senza gateway.`,
    ],
    saw: (x, role) => p`Ogni riga è inviata dal vostro server (MAC ${x.job.mac}) con ${x.ip}, ${role}, come mittente.`,
    gone: (x, ipAddr) => p`E nella configurazione: ${ipAddr} non deve più elencare ${x.ip}.`,
    works: (x, b, role) =>
      p`Il router invia tutto il traffico destinato a ${b.cidr} al vostro server, tramite una route statica verso ${mainIp(x)}: per questo anche ${x.ip} risponde. Ma può essere configurato solo con una netmask più ampia di quella del blocco: con la netmask del blocco, necessaria agli altri suoi indirizzi, ${x.ip} è ${role}, e nessuna macchina può usarlo come proprio indirizzo.`,
  },
};
