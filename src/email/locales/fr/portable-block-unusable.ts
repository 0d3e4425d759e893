/** Portable block: a reserved address in use, or the wrong gateway, in French. */
import { addressList } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';
import type { PortableBlockUnusableText } from '../../templates/portable-block-unusable.js';
import { whoHas } from '../../templates/snippets.js';

export const portableBlockUnusable: PortableBlockUnusableText = {
  subject: (x, v) => `IP ${x.ip} (bloc portable ${v.b.cidr}) : ${v.role === null ? 'mauvaise passerelle' : 'adresse réservée utilisée'}`,
  role: { network: "l'adresse de réseau du bloc", gateway: "l'adresse de passerelle du bloc", broadcast: "l'adresse de broadcast du bloc" },
  reserved: (x, v, role) =>
    p`Notre supervision a détecté un problème de configuration dans votre bloc portable ${v.b.cidr} : une machine de votre VLAN (MAC ${v.seen}) utilise ${x.ip}, ${role}, comme sa propre adresse. Dans un bloc portable, la première adresse est celle du réseau, la deuxième celle de la passerelle et la dernière celle du broadcast : ces trois adresses ne peuvent être attribuées ni à un serveur ni à une machine virtuelle.`,
  gatewayTaken: p`L'adresse de passerelle appartient à notre routeur : une machine qui la prend entre en concurrence avec lui, et peut couper l'accès de toutes les machines du bloc.`,
  alsoAsks: (v, asked) => p`Elle demande aussi la passerelle ${asked}, qui n'est pas celle du bloc : la passerelle de ${v.b.cidr} est ${v.gw}.`,
  wrongGateway: (x, v, asked) =>
    p`Notre supervision a détecté un problème de configuration dans votre bloc portable ${v.b.cidr} : la machine qui utilise ${x.ip} (MAC ${v.seen}) demande la passerelle ${asked}, qui n'est pas celle du bloc. La passerelle de ${v.b.cidr} est ${v.gw}.`,
  disturbs: p`Ces trames perturbent tout le VLAN (voir les questions en fin de message). La correction prend quelques minutes.`,
  notUsable: (v) => t`${code(v.b.network)} (réseau), ${code(v.gw)} (passerelle), ${code(v.b.broadcast)} (broadcast)`,
  move: (x, v) => t`Déplacez la machine qui utilise ${x.ip} sur une adresse libre entre ${v.b.firstUsable} et ${v.b.lastUsable}, avec le masque ${v.b.netmask} et la passerelle ${v.gw}.`,
  example: (x, v, free) => {
    if (v.inUse === undefined) return t`Par exemple, avec ${free} si elle est libre :`;
    const seen = v.inUse.length === 0 ? t`Notre supervision n'en a vu aucune en service sur votre VLAN` : t`Notre supervision a vu ${addressList(x, v.inUse)} en service sur votre VLAN, mais pas ${free}`;
    return t`${seen}. Par exemple, avec ${free}, après avoir vérifié qu'aucune de vos machines ne l'utilise :`;
  },
  noneFree: (v) => t`Notre supervision a vu chacune de ces adresses en service sur votre VLAN, nous ne pouvons donc pas vous en proposer une : libérez-en une d'abord, ou commandez une IP portable (voir plus bas). Dans les commandes ci-dessous, écrivez cette adresse à la place de ${code(v.use)} :`,
  freeWord: 'ADRESSE_LIBRE',
  othersMove: {
    one: (ip, to) => (to === null
      ? p`Déplacez de la même façon la machine qui utilise ${ip} vers une autre adresse libre : nous n'en avons pas vu d'autre de libre à vous proposer.`
      : p`Déplacez de la même façon la machine qui utilise ${ip} vers une autre adresse libre : par exemple ${to}.`),
    many: (ips, pairs) => (pairs === null
      ? p`Déplacez de la même façon les machines qui utilisent ${ips}, chacune vers une adresse libre qui lui soit propre : nous avons vu trop peu d'adresses libres pour en proposer une à chacune.`
      : p`Déplacez de la même façon les machines qui utilisent ${ips}, chacune vers une adresse libre qui lui soit propre : par exemple ${pairs}.`),
    pair: (ip, to) => `${ip} vers ${to}`,
  },
  keep: (x, v) => p`Gardez ${x.ip} et indiquez ${v.gw} comme passerelle :`,
  more: p`Si toutes les adresses utilisables sont prises, commandez une IP portable (failover) et routez-la vers l'adresse principale de l'une de vos VM : vous gagnez une adresse sans toucher au bloc.`,
  sawReserved: (x, v, role) => p`Chaque ligne est émise par ${v.seen} avec ${x.ip}, ${role}, comme expéditeur${v.asked === undefined ? '' : `, et demande qui possède ${v.asked}`}.`,
  values: p`Les valeurs de votre bloc portable :`,
  sawGateway: (x, v, asked) => p`Chaque ligne montre la machine qui utilise ${x.ip} (MAC ${v.seen}) demandant qui possède ${asked}, au lieu de la passerelle du bloc, ${v.gw}.`,
  where: "Sur l'hôte des machines de ce bloc, sur le bridge qu'elles utilisent, ou dans la VM elle-même",
  good: (v) => [t`vos machines n'utilisant que des adresses entre ${v.b.firstUsable} et ${v.b.lastUsable}`, t`des requêtes ${code(`who-has ${v.gw}`)}, chacune suivie d'une réponse de la passerelle`],
  badSender: (x) => t`${x.ip} comme expéditeur (${code(`tell ${x.ip}`)})`,
  badGateway: (x, asked) => t`des requêtes pour une autre passerelle, comme ${whoHas(asked, x.ip)}`,
  works: {
    network: () => p`Une adresse réservée peut sembler fonctionner pour la machine qui l'utilise, mais les autres machines du bloc la traitent autrement : les adresses de réseau et de broadcast désignent tout le segment, si bien que ce qui leur est envoyé atteint toutes les machines, ou aucune. Le trafic destiné à cette machine se perd ou se duplique selon qui l'envoie.`,
    broadcast: () => p`Une adresse réservée peut sembler fonctionner pour la machine qui l'utilise, mais les autres machines du bloc la traitent autrement : les adresses de réseau et de broadcast désignent tout le segment, si bien que ce qui leur est envoyé atteint toutes les machines, ou aucune. Le trafic destiné à cette machine se perd ou se duplique selon qui l'envoie.`,
    gateway: () => p`Une adresse réservée peut sembler fonctionner pour la machine qui l'utilise, mais l'adresse de passerelle appartient à notre routeur : quand votre machine répond pour elle, les autres machines du bloc lui envoient leur trafic vers Internet au lieu de l'envoyer au routeur. Les connexions de tout le bloc fonctionnent alors ou échouent selon qui a répondu en dernier.`,
    usable: (v) => p`Votre machine reçoit son trafic parce qu'elle se trouve sur le sous-réseau du bloc. Ses réponses, en revanche, partent vers ${v.asked ?? 'une autre adresse'}, et non vers sa passerelle : les connexions dépendent des caches ARP du moment, fonctionnent un temps, puis se bloquent.`,
  },
};
