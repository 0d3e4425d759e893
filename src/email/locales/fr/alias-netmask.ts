/** Case 1, wrong netmask on a failover alias, in French; and the parts 1a and 1b share. */
import type { AliasNetmaskText, AliasParts } from '../../templates/alias-netmask.js';
import { aliasConfig, aliasTable, firstRequest, inet, ipAddr } from '../../templates/alias-netmask.js';
import { mainIp, serverGateway, serverName, serverSuffix, targetList } from '../../templates/context.js';
import { p, t } from '../../templates/doc.js';

const parts: AliasParts = {
  probablyWorks: p`L'IP elle-même fonctionne probablement : il ne s'agit pas d'une panne. Mais cette configuration perturbe le réseau et, de temps à autre, votre propre trafic (voir les questions en fin de message). La correction tient en une ou deux lignes.`,
  values: (x, v) => aliasTable(x, v, t`aucune : l'alias n'a pas de passerelle propre (votre serveur garde sa route par défaut via ${serverGateway(x)})`),
  config: aliasConfig,
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
        ? t`des requêtes de ${x.ip} pour d'autres adresses, avec ou sans réponse, comme ${firstRequest(x)}`
        : t`des requêtes de ${x.ip} pour d'autres adresses, avec ou sans réponse`,
    ],
    extra: [p`Et côté configuration : ${ipAddr} doit afficher ${inet(x, v)}.`],
  }),
  works: (x, routed) => [
    p`Le routeur envoie tout le trafic destiné à ${routed} vers votre serveur, par une route statique vers ${mainIp(x)}, quel que soit le masque configuré de votre côté. L'IP répond donc, et la plupart des connexions aboutissent.`,
    p`Le masque entre en jeu quand votre serveur s'adresse à une adresse comprise dans la plage que couvre le mauvais masque : une autre IP failover, par exemple, à vous ou à un autre client. Au lieu de confier ces paquets à sa passerelle, votre serveur demande l'adresse en ARP, et la connexion échoue ou reste bloquée. Tout dépend de qui parle à qui et de l'état des caches ARP du moment, d'où ce côté aléatoire.`,
  ],
};

export const aliasNetmask: AliasNetmaskText = {
  parts,
  subject: (x) => `IP failover ${x.ip} : masque incorrect sur l'alias`,
  summary: (x) => p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}, routée vers votre serveur${serverSuffix(x)}. Elle est configurée en alias sans MAC virtuelle, ce qui est correct, mais avec un masque plus large que 255.255.255.255 : votre serveur croit donc que les adresses voisines se trouvent sur son propre réseau, et ne cesse de les demander en ARP.`,
  fixIntro: (x) => p`Une IP failover est routée vers l'IP principale de votre serveur, ${mainIp(x)} : c'est une adresse unique, pas un réseau à part entière. Sur l'alias, indiquez :`,
};
