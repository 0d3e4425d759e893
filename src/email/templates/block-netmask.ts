/**
 * Case 1a: an address of a RIPE block that is not split, configured with a
 * netmask wider than the block's. The fix: the block's own netmask and
 * broadcast (computed from the block by the producer), no gateway on it.
 */
import type { EmailJob } from '../job.js';
import type { Locale } from '../../inventory/model.js';
import { ALIAS, type AliasValues, aliasNetmask } from './alias-netmask.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { mainIp, prefixOf, serverGateway, serverSuffix } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, p, t } from './doc.js';

type RoutedBlock = NonNullable<EmailJob['remediation']['block']>;

interface Words {
  subject(x: Ctx, b: RoutedBlock): string;
  summary(x: Ctx, b: RoutedBlock): Block;
  misuse(b: RoutedBlock): Block;
  fixIntro: Block;
  notUsable(b: RoutedBlock): Inline[];
  noGateway(x: Ctx): Inline[];
  forIp(ip: string): Block;
  badSender(b: RoutedBlock): Inline[];
}

const WORDS: Record<Locale, Words> = {
  en: {
    subject: (x, b) => `IP ${x.ip} (block ${b.cidr}): wrong netmask for the block`,
    summary: (x, b) =>
      p`Our monitoring has found a configuration problem on ${x.ip}, an address of the IP block ${b.cidr} routed to your server${serverSuffix(x)}. This block is not split: its addresses are used together, with the block's own netmask and broadcast. ${x.ip} is configured with a wider netmask, so your server believes that addresses outside the block are on its network, and keeps asking for them by ARP.`,
    misuse: (b) => p`We also see the block's network address (${b.network}) or its broadcast address (${b.broadcast}) used as a sender: neither can be given to a machine.`,
    fixIntro: p`Use the values from the allocation email of the block, for every address of the block that you configure:`,
    notUsable: (b) => t`${code(b.network)} (network), ${code(b.broadcast)} (broadcast)`,
    noGateway: (x) => t`none on these addresses: the block is routed to ${mainIp(x)}, and your server keeps its default route via ${serverGateway(x)}`,
    forIp: (ip) => p`For ${ip}, the configuration becomes:`,
    badSender: (b) => t`the block's network or broadcast address as a sender (${code(`tell ${b.network}`)}, ${code(`tell ${b.broadcast}`)})`,
  },
  fr: {
    subject: (x, b) => `IP ${x.ip} (bloc ${b.cidr}) : masque incorrect pour le bloc`,
    summary: (x, b) =>
      p`Notre supervision a détecté un problème de configuration sur ${x.ip}, une adresse du bloc d'IP ${b.cidr} routé vers votre serveur${serverSuffix(x)}. Ce bloc n'est pas découpé : ses adresses s'utilisent ensemble, avec le masque et le broadcast propres au bloc. Or ${x.ip} est configurée avec un masque plus large : votre serveur croit donc que des adresses extérieures au bloc sont sur son réseau, et ne cesse de les demander en ARP.`,
    misuse: (b) => p`L'adresse de réseau du bloc (${b.network}) ou son adresse de broadcast (${b.broadcast}) apparaît aussi comme expéditeur : ni l'une ni l'autre ne peut être attribuée à une machine.`,
    fixIntro: p`Reprenez les valeurs de l'e-mail d'attribution du bloc, pour chaque adresse du bloc que vous configurez :`,
    notUsable: (b) => t`${code(b.network)} (réseau), ${code(b.broadcast)} (broadcast)`,
    noGateway: (x) => t`aucune sur ces adresses : le bloc est routé vers ${mainIp(x)}, et votre serveur garde sa route par défaut via ${serverGateway(x)}`,
    forIp: (ip) => p`Pour ${ip}, la configuration devient :`,
    badSender: (b) => t`l'adresse de réseau ou de broadcast du bloc comme expéditeur (${code(`tell ${b.network}`)}, ${code(`tell ${b.broadcast}`)})`,
  },
  it: {
    subject: (x, b) => `IP ${x.ip} (blocco ${b.cidr}): netmask errata per il blocco`,
    summary: (x, b) =>
      p`Il nostro monitoraggio ha rilevato un problema di configurazione su ${x.ip}, un indirizzo del blocco di IP ${b.cidr} instradato verso il vostro server${serverSuffix(x)}. Questo blocco non è suddiviso: i suoi indirizzi si usano insieme, con la netmask e il broadcast propri del blocco. ${x.ip} invece è configurato con una netmask più ampia: il server crede quindi che indirizzi esterni al blocco siano sulla sua rete, e continua a cercarli via ARP.`,
    misuse: (b) => p`Inoltre l'indirizzo di rete del blocco (${b.network}) o quello di broadcast (${b.broadcast}) compare come mittente: nessuno dei due può essere assegnato a una macchina.`,
    fixIntro: p`Usate i valori dell'email di assegnazione del blocco, per ogni indirizzo del blocco che configurate:`,
    notUsable: (b) => t`${code(b.network)} (rete), ${code(b.broadcast)} (broadcast)`,
    noGateway: (x) => t`nessuno su questi indirizzi: il blocco è instradato verso ${mainIp(x)}, e il server mantiene la sua route di default via ${serverGateway(x)}`,
    forIp: (ip) => p`Per ${ip} la configurazione diventa:`,
    badSender: (b) => t`l'indirizzo di rete o di broadcast del blocco come mittente (${code(`tell ${b.network}`)}, ${code(`tell ${b.broadcast}`)})`,
  },
};

function build(x: Ctx): CaseText {
  const b = x.job.remediation.block;
  if (b === undefined) return aliasNetmask[x.locale](x); // no block in the job: explain it as a single address
  const W = WORDS[x.locale];
  const A = ALIAS[x.locale];
  const L = x.L;
  const v: AliasValues = { netmask: x.job.remediation.netmask ?? b.netmask, broadcast: x.job.remediation.broadcast ?? b.broadcast };
  const check = A.check(x, v, b.cidr);
  return {
    subject: W.subject(x, b),
    summary: [W.summary(x, b), ...((x.job.evidence.counts.unusable_address ?? 0) > 0 ? [W.misuse(b)] : []), A.probablyWorks],
    fix: [
      W.fixIntro,
      kv(
        [L.label.block, [code(b.cidr)]],
        [L.label.netmask, t`${code(v.netmask)} (/${prefixOf(v.netmask)})`],
        [L.label.broadcast, [code(v.broadcast)]],
        [L.label.usable, [code(`${b.firstUsable}–${b.lastUsable}`)]],
        [L.label.notUsable, W.notUsable(b)],
        [L.label.gateway, W.noGateway(x)],
      ),
      ...A.config(x, v, W.forIp(x.ip)),
    ],
    saw: A.saw(x, b.cidr),
    check: { ...check, bad: [...check.bad, W.badSender(b)] },
    works: A.works(x, b.cidr),
  };
}

export const blockNetmask: CaseTemplate = { en: build, fr: build, it: build };
