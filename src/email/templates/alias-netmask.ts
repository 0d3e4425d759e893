/**
 * Case 1: a failover IP without virtual MAC, configured as an alias with a
 * netmask wider than /32. The fix: netmask 255.255.255.255, broadcast = the
 * IP, no gateway on the alias. The pieces under ALIAS are shared with 1a
 * (block-netmask) and 1b (split-block), which differ in their values and
 * their explanation.
 */
import type { Locale } from '../../inventory/model.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { mainIp, prefixOf, serverGateway, serverName, serverSuffix, targetList } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, p, para, t } from './doc.js';
import { aliasSnippets, distroBlocks, IFACE, whoHas } from './snippets.js';

export interface AliasValues {
  netmask: string;
  broadcast: string;
}

/** What the 1, 1a and 1b emails share, per locale. */
export interface AliasParts {
  probablyWorks: Block;
  /** the values table: address, netmask, broadcast, "no gateway" */
  values(x: Ctx, v: AliasValues): Block;
  /** the interface note, `intro` if any, the three snippets, and how to apply them */
  config(x: Ctx, v: AliasValues, intro?: Block): Block[];
  /** what the sample lines show; `scope` is the block for 1a */
  saw(x: Ctx, scope: string | null): Block[];
  check(x: Ctx, v: AliasValues, scope: string | null): CaseText['check'];
  /** the FAQ's middle; `routed` is the IP, or the block for 1a */
  works(x: Ctx, routed: string): Block[];
}

const config = (x: Ctx, v: AliasValues, intro?: Block): Block[] => [
  para(x.L.ifaceNote(x.ip)),
  ...(intro === undefined ? [] : [intro]),
  ...distroBlocks(x.L, aliasSnippets({ ip: x.ip, prefix: prefixOf(v.netmask), netmask: v.netmask, broadcast: v.broadcast, keepMain: x.L.keepMain })),
  para(x.L.applySafely(x.server?.ip ?? null, x.ip)),
];

const values = (x: Ctx, v: AliasValues, noGateway: Inline[]): Block =>
  kv(
    [x.L.label.address, [code(x.ip)]],
    [x.L.label.netmask, t`${code(v.netmask)} (/${prefixOf(v.netmask)})`],
    [x.L.label.broadcast, [code(v.broadcast)]],
    [x.L.label.gateway, noGateway],
  );

const example = (x: Ctx): Inline[] => (x.targets.length > 0 ? [whoHas(x.targets[0], x.ip)] : []);
const inet = (x: Ctx, v: AliasValues): Inline => code(`inet ${x.ip}/${prefixOf(v.netmask)}`);
const ipAddr = code(`ip -4 addr show dev ${IFACE}`);

export const ALIAS: Record<Locale, AliasParts> = {
  en: {
    probablyWorks: p`The IP itself probably works: this is not an outage. It does disturb the network, though, and from time to time your own traffic too (see the questions at the end). The fix is a change of one or two lines.`,
    values: (x, v) => values(x, v, t`none: the alias has no gateway of its own (your server keeps its default route via ${serverGateway(x)})`),
    config,
    saw: (x, scope) =>
      x.targets.length === 0
        ? []
        : [
            scope === null
              ? p`Each line is your server (MAC ${x.job.mac}) asking, on behalf of ${x.ip}, who has ${targetList(x)}. With a /32 alias it would not ask: those addresses are not on its network, and the traffic for them goes to the gateway.`
              : p`Each line is your server (MAC ${x.job.mac}) asking, on behalf of ${x.ip}, who has ${targetList(x)}: addresses outside ${scope}. With the block's netmask it would not ask, and would send that traffic to its gateway.`,
          ],
    check: (x, v, scope) => ({
      where: `On ${serverName(x, 'your server')}`,
      good: [
        scope === null
          ? t`no line at all, or requests for your gateway ${serverGateway(x)} or for machines of your server's own network, each followed by a reply`
          : t`no line at all, or requests for your gateway ${serverGateway(x)} or for addresses inside ${scope}, each followed by a reply`,
      ],
      bad: [
        x.targets.length > 0
          ? t`requests from ${x.ip} for other addresses, left unanswered, such as ${example(x)}`
          : t`requests from ${x.ip} for other addresses, left unanswered`,
      ],
      extra: [p`And in the configuration: ${ipAddr} must list ${inet(x, v)}.`],
    }),
    works: (x, routed) => [
      p`The router sends all traffic for ${routed} to your server through a static route to ${mainIp(x)}, whatever netmask is set on your side. So the IP answers, and most connections succeed.`,
      p`The netmask comes into play when your server talks to an address inside the range that the wrong netmask covers: another failover IP, for example, yours or another customer's. Instead of handing those packets to its gateway, your server asks for the address by ARP, and the connection fails or stalls. Whether it happens depends on who talks to whom and on the ARP caches of the moment, which is why it looks random.`,
    ],
  },
  fr: {
    probablyWorks: p`L'IP elle-même fonctionne probablement : il ne s'agit pas d'une panne. Mais cette configuration perturbe le réseau et, de temps à autre, votre propre trafic (voir les questions en fin de message). La correction tient en une ou deux lignes.`,
    values: (x, v) => values(x, v, t`aucune : l'alias n'a pas de passerelle propre (votre serveur garde sa route par défaut via ${serverGateway(x)})`),
    config,
    saw: (x, scope) =>
      x.targets.length === 0
        ? []
        : [
            scope === null
              ? p`Chaque ligne montre votre serveur (MAC ${x.job.mac}) demandant, au nom de ${x.ip}, qui possède ${targetList(x)}. Avec un alias en /32, il ne poserait pas la question : ces adresses ne sont pas sur son réseau, et le trafic qui leur est destiné part vers la passerelle.`
              : p`Chaque ligne montre votre serveur (MAC ${x.job.mac}) demandant, au nom de ${x.ip}, qui possède ${targetList(x)} : des adresses hors de ${scope}. Avec le masque du bloc, il ne poserait pas la question et confierait ce trafic à sa passerelle.`,
          ],
    check: (x, v, scope) => ({
      where: `Sur ${serverName(x, 'votre serveur')}`,
      good: [
        scope === null
          ? t`aucune ligne, ou des requêtes pour votre passerelle ${serverGateway(x)} ou pour des machines du réseau propre de votre serveur, chacune suivie d'une réponse`
          : t`aucune ligne, ou des requêtes pour votre passerelle ${serverGateway(x)} ou pour des adresses de ${scope}, chacune suivie d'une réponse`,
      ],
      bad: [
        x.targets.length > 0
          ? t`des requêtes de ${x.ip} pour d'autres adresses, restées sans réponse, comme ${example(x)}`
          : t`des requêtes de ${x.ip} pour d'autres adresses, restées sans réponse`,
      ],
      extra: [p`Et côté configuration : ${ipAddr} doit afficher ${inet(x, v)}.`],
    }),
    works: (x, routed) => [
      p`Le routeur envoie tout le trafic destiné à ${routed} vers votre serveur, par une route statique vers ${mainIp(x)}, quel que soit le masque configuré de votre côté. L'IP répond donc, et la plupart des connexions aboutissent.`,
      p`Le masque entre en jeu quand votre serveur s'adresse à une adresse comprise dans la plage que couvre le mauvais masque : une autre IP failover, par exemple, à vous ou à un autre client. Au lieu de confier ces paquets à sa passerelle, votre serveur demande l'adresse en ARP, et la connexion échoue ou reste bloquée. Tout dépend de qui parle à qui et de l'état des caches ARP du moment, d'où ce côté aléatoire.`,
    ],
  },
  it: {
    probablyWorks: p`L'IP in sé probabilmente funziona: non si tratta di un disservizio. Questa configurazione però disturba la rete e, di tanto in tanto, anche il vostro traffico (vedete le domande in fondo). La correzione è questione di una o due righe.`,
    values: (x, v) => values(x, v, t`nessuno: l'alias non ha un gateway proprio (il server mantiene la sua route di default via ${serverGateway(x)})`),
    config,
    saw: (x, scope) =>
      x.targets.length === 0
        ? []
        : [
            scope === null
              ? p`Ogni riga mostra il vostro server (MAC ${x.job.mac}) che chiede, per conto di ${x.ip}, chi ha ${targetList(x)}. Con un alias /32 non lo chiederebbe: quegli indirizzi non sono sulla sua rete, e il traffico verso di loro passa dal gateway.`
              : p`Ogni riga mostra il vostro server (MAC ${x.job.mac}) che chiede, per conto di ${x.ip}, chi ha ${targetList(x)}: indirizzi fuori da ${scope}. Con la netmask del blocco non lo chiederebbe, e affiderebbe quel traffico al gateway.`,
          ],
    check: (x, v, scope) => ({
      where: `Su ${serverName(x, 'il vostro server')}`,
      good: [
        scope === null
          ? t`nessuna riga, oppure richieste per il vostro gateway ${serverGateway(x)} o per macchine della rete del server, ciascuna seguita da una risposta`
          : t`nessuna riga, oppure richieste per il vostro gateway ${serverGateway(x)} o per indirizzi di ${scope}, ciascuna seguita da una risposta`,
      ],
      bad: [
        x.targets.length > 0
          ? t`richieste da ${x.ip} per altri indirizzi, rimaste senza risposta, come ${example(x)}`
          : t`richieste da ${x.ip} per altri indirizzi, rimaste senza risposta`,
      ],
      extra: [p`E nella configurazione: ${ipAddr} deve mostrare ${inet(x, v)}.`],
    }),
    works: (x, routed) => [
      p`Il router invia tutto il traffico per ${routed} al vostro server tramite una route statica verso ${mainIp(x)}, qualunque sia la netmask impostata da voi. L'IP quindi risponde, e la maggior parte delle connessioni va a buon fine.`,
      p`La netmask entra in gioco quando il server comunica con un indirizzo compreso nell'intervallo coperto dalla netmask sbagliata: un altro IP failover, per esempio, vostro o di un altro cliente. Invece di affidare quei pacchetti al gateway, il server cerca l'indirizzo via ARP, e la connessione fallisce o si blocca. Dipende da chi parla con chi e dallo stato delle cache ARP del momento: per questo sembra casuale.`,
    ],
  },
};

/** Case 1 values: 255.255.255.255 and the IP (computed by the producer; the same rule here if absent). */
export const failoverValues = (x: Ctx): AliasValues => ({
  netmask: x.job.remediation.netmask ?? '255.255.255.255',
  broadcast: x.job.remediation.broadcast ?? x.ip,
});

function build(x: Ctx, subject: string, summary: Block, fixIntro: Block): CaseText {
  const A = ALIAS[x.locale];
  const v = failoverValues(x);
  return {
    subject,
    summary: [summary, A.probablyWorks],
    fix: [fixIntro, A.values(x, v), ...A.config(x, v)],
    saw: A.saw(x, null),
    check: A.check(x, v, null),
    works: A.works(x, x.ip),
  };
}

export const aliasNetmask: CaseTemplate = {
  en: (x) =>
    build(
      x,
      `Failover IP ${x.ip}: wrong netmask on the alias`,
      p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)}. It is set up as an alias without a virtual MAC, which is right, but with a netmask wider than 255.255.255.255: your server therefore believes that the neighbouring addresses are on its own network, and keeps asking for them by ARP.`,
      p`A failover IP is routed to your server's main IP, ${mainIp(x)}: it is a single address, not a network of its own. On the alias, set:`,
    ),
  fr: (x) =>
    build(
      x,
      `IP failover ${x.ip} : masque incorrect sur l'alias`,
      p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}, routée vers votre serveur${serverSuffix(x)}. Elle est configurée en alias sans MAC virtuelle, ce qui est correct, mais avec un masque plus large que 255.255.255.255 : votre serveur croit donc que les adresses voisines se trouvent sur son propre réseau, et ne cesse de les demander en ARP.`,
      p`Une IP failover est routée vers l'IP principale de votre serveur, ${mainIp(x)} : c'est une adresse unique, pas un réseau à part entière. Sur l'alias, indiquez :`,
    ),
  it: (x) =>
    build(
      x,
      `IP failover ${x.ip}: netmask errata sull'alias`,
      p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)}. È configurato come alias senza MAC virtuale, e questo è corretto, ma con una netmask più ampia di 255.255.255.255: il server crede quindi che gli indirizzi vicini si trovino sulla sua stessa rete, e continua a cercarli via ARP.`,
      p`Un IP failover è instradato verso l'IP principale del vostro server, ${mainIp(x)}: è un indirizzo singolo, non una rete a sé. Sull'alias impostate:`,
    ),
};
