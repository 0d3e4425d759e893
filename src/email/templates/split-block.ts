/**
 * Case 1b: an address of a split RIPE block, without virtual MAC, configured
 * with a netmask wider than /32. A split block's addresses are used one by
 * one, so each follows the failover rules: the fix is case 1's, saying why.
 */
import type { Locale } from '../../inventory/model.js';
import { ALIAS, aliasNetmask, failoverValues } from './alias-netmask.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { serverSuffix } from './context.js';
import type { Block } from './doc.js';
import { p } from './doc.js';

interface Words {
  subject(x: Ctx, cidr: string): string;
  summary(x: Ctx, cidr: string): Block;
  fixIntro(x: Ctx, blockNetmask: string): Block;
}

const WORDS: Record<Locale, Words> = {
  en: {
    subject: (x, cidr) => `IP ${x.ip} (split block ${cidr}): wrong netmask on the alias`,
    summary: (x, cidr) =>
      p`Our monitoring has found a configuration problem on ${x.ip}, an address of the IP block ${cidr}, routed to your server${serverSuffix(x)}. This block is split: its addresses are used one by one, each like a failover IP, so the rules of a failover IP apply: netmask 255.255.255.255 and no gateway of its own. ${x.ip} is configured with a wider netmask, so your server believes that the neighbouring addresses are on its own network, and keeps asking for them by ARP.`,
    fixIntro: (x, m) => p`Because the block is split, do not use the block's netmask (${m}) here: configure ${x.ip} as a single failover IP. On the alias, set:`,
  },
  fr: {
    subject: (x, cidr) => `IP ${x.ip} (bloc découpé ${cidr}) : masque incorrect sur l'alias`,
    summary: (x, cidr) =>
      p`Notre supervision a détecté un problème de configuration sur ${x.ip}, une adresse du bloc d'IP ${cidr}, routée vers votre serveur${serverSuffix(x)}. Ce bloc est découpé : ses adresses s'utilisent une à une, chacune comme une IP failover, et suivent donc les règles d'une IP failover : masque 255.255.255.255 et pas de passerelle propre. Or ${x.ip} est configurée avec un masque plus large : votre serveur croit donc que les adresses voisines se trouvent sur son propre réseau, et ne cesse de les demander en ARP.`,
    fixIntro: (x, m) => p`Le bloc étant découpé, n'utilisez pas ici le masque du bloc (${m}) : configurez ${x.ip} comme une IP failover à part entière. Sur l'alias, indiquez :`,
  },
  it: {
    subject: (x, cidr) => `IP ${x.ip} (blocco suddiviso ${cidr}): netmask errata sull'alias`,
    summary: (x, cidr) =>
      p`Il nostro monitoraggio ha rilevato un problema di configurazione su ${x.ip}, un indirizzo del blocco di IP ${cidr}, instradato verso il vostro server${serverSuffix(x)}. Questo blocco è suddiviso: i suoi indirizzi si usano uno per uno, ciascuno come un IP failover, e seguono quindi le regole di un IP failover: netmask 255.255.255.255 e nessun gateway proprio. ${x.ip} invece è configurato con una netmask più ampia: il server crede quindi che gli indirizzi vicini si trovino sulla sua stessa rete, e continua a cercarli via ARP.`,
    fixIntro: (x, m) => p`Poiché il blocco è suddiviso, qui non usate la netmask del blocco (${m}): configurate ${x.ip} come un IP failover a sé. Sull'alias impostate:`,
  },
};

function build(x: Ctx): CaseText {
  const b = x.job.remediation.block;
  if (b === undefined) return aliasNetmask[x.locale](x); // no block in the job: the failover wording alone
  const W = WORDS[x.locale];
  const A = ALIAS[x.locale];
  const v = failoverValues(x);
  return {
    subject: W.subject(x, b.cidr),
    summary: [W.summary(x, b.cidr), A.probablyWorks],
    fix: [W.fixIntro(x, b.netmask), A.values(x, v), ...A.config(x, v)],
    saw: A.saw(x, null),
    check: A.check(x, v, null),
    works: A.works(x, x.ip),
  };
}

export const splitBlock: CaseTemplate = { en: build, fr: build, it: build };
