/**
 * Duplicate: the IP is routed to one server and still configured on another
 * (left behind after a reroute), so both claim it. The fix: remove it from
 * the server it is no longer routed to, now and in the configuration files.
 */
import type { Locale } from '../../inventory/model.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { serverSuffix } from './context.js';
import type { Inline } from './doc.js';
import { code, joinList, kv, p, pre, t } from './doc.js';
import { IFACE } from './snippets.js';

interface Host {
  id: string;
  ip: string | null;
  mac: string | null;
}

interface V {
  stale: Host;
  routed: Host;
  /** "0c:… (srv-3100)" for each MAC of the samples, as prose; empty unless two or more */
  claimers: Inline[];
}

/** "srv-3100 (203.0.113.31, MAC 0c:c4:7a:c2:71:06)" */
const full = (h: Host): string => (h.ip === null ? h.id : `${h.id} (${h.ip}${h.mac === null ? '' : `, MAC ${h.mac}`})`);
/** "srv-3100 (203.0.113.31)" */
const short = (h: Host): string => (h.ip === null ? h.id : `${h.id} (${h.ip})`);

const grep = (ip: string): string => `ip -4 addr show | grep ${ip}`;
const removeNow = (ip: string): string[] => [grep(ip), `ip addr del ${ip}/32 dev ${IFACE}`];
const removeNm = (ip: string): string[] => [`nmcli connection modify ${IFACE} -ipv4.addresses ${ip}/32`, `nmcli connection up ${IFACE}`];
const FILES = { interfaces: code('/etc/network/interfaces'), interfacesD: code('/etc/network/interfaces.d/'), netplan: code('/etc/netplan/*.yaml') };

const TEXT: Record<Locale, (x: Ctx, v: V) => CaseText> = {
  en: (x, { stale, routed, claimers }) => ({
    subject: `Failover IP ${x.ip}: still configured on server ${stale.id}`,
    summary: [
      p`Our monitoring has found a configuration problem on the failover IP ${x.ip}. It is routed to your server${serverSuffix(x)}, but the server ${short(stale)} still uses it too: we see ${x.ip} from the MAC addresses of both servers, in turns. This usually happens when an IP is moved from one server to another and the old configuration stays in place.`,
      p`These frames disturb the VLAN and send part of the IP's traffic to the wrong server (see the questions at the end). The fix takes a minute, on ${stale.id} only.`,
    ],
    fix: [
      p`Remove ${x.ip} from ${stale.id}, where it is no longer routed:`,
      kv(['Remove from', [full(stale)]], ['Keep on', [full(routed)]]),
      p`On ${stale.id}, find the address and remove it now:`,
      pre(removeNow(x.ip)),
      p`(with the prefix and the interface that the first command shows). Then remove it from the configuration, so that it does not come back at the next reboot: the lines of ${x.ip} in ${FILES.interfaces} (or ${FILES.interfacesD}), in ${FILES.netplan}, or with NetworkManager:`,
      pre(removeNm(x.ip)),
      p`If a virtual machine on ${stale.id} uses ${x.ip}, change that VM's address, or stop it.`,
      p`If you meant ${stale.id} to keep this IP, do the opposite: route it back to ${stale.id} in your control panel, and remove it from ${routed.id}.`,
    ],
    saw: claimers.length > 0 ? [p`The lines alternate between ${claimers}: both servers claim ${x.ip}.`] : [],
    check: {
      where: `On ${stale.id}, and to compare, on ${routed.id}`,
      good: [t`on ${stale.id}: no frame for ${x.ip} at all`, ...(routed.mac === null ? [] : [t`on ${routed.id}: ${x.ip} only with its MAC, ${routed.mac}`])],
      bad: [stale.mac === null ? t`${x.ip} from ${stale.id}` : t`${x.ip} with the MAC of ${stale.id}, ${stale.mac}: a request from it, or ${code(`${x.ip} is-at ${stale.mac}`)}`],
      extra: [p`And on ${stale.id}: ${code(grep(x.ip))} must print nothing.`],
    },
    works: [
      p`The router sends the traffic for ${x.ip} to ${routed.id}, so from the Internet the IP reaches the right server. But ${stale.id} keeps claiming it on the local network: the machines of the VLAN that look it up may get the answer of either server, and the two answers overwrite each other in their ARP tables. Some connections end up on the old server, seemingly at random.`,
    ],
  }),
  fr: (x, { stale, routed, claimers }) => ({
    subject: `IP failover ${x.ip} : toujours configurée sur le serveur ${stale.id}`,
    summary: [
      p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}. Elle est routée vers votre serveur${serverSuffix(x)}, mais le serveur ${short(stale)} l'utilise encore : nous voyons ${x.ip} tour à tour depuis les adresses MAC des deux serveurs. C'est en général le cas quand une IP a été déplacée d'un serveur à l'autre et que l'ancienne configuration est restée en place.`,
      p`Ces trames perturbent le VLAN et envoient une partie du trafic de l'IP vers le mauvais serveur (voir les questions en fin de message). La correction prend une minute, sur ${stale.id} seulement.`,
    ],
    fix: [
      p`Retirez ${x.ip} de ${stale.id}, vers lequel elle n'est plus routée :`,
      kv(['À retirer de', [full(stale)]], ['À garder sur', [full(routed)]]),
      p`Sur ${stale.id}, repérez l'adresse et retirez-la tout de suite :`,
      pre(removeNow(x.ip)),
      p`(avec le préfixe et l'interface qu'affiche la première commande). Retirez-la ensuite de la configuration, pour qu'elle ne revienne pas au prochain redémarrage : les lignes de ${x.ip} dans ${FILES.interfaces} (ou ${FILES.interfacesD}), dans ${FILES.netplan}, ou avec NetworkManager :`,
      pre(removeNm(x.ip)),
      p`Si une machine virtuelle de ${stale.id} utilise ${x.ip}, changez l'adresse de cette VM, ou arrêtez-la.`,
      p`Si c'est au contraire ${stale.id} qui doit garder cette IP, faites l'inverse : routez-la de nouveau vers ${stale.id} depuis votre espace client, et retirez-la de ${routed.id}.`,
    ],
    saw: claimers.length > 0 ? [p`Les lignes alternent entre ${claimers} : les deux serveurs revendiquent ${x.ip}.`] : [],
    check: {
      where: `Sur ${stale.id}, et pour comparer, sur ${routed.id}`,
      good: [t`sur ${stale.id} : plus aucune trame pour ${x.ip}`, ...(routed.mac === null ? [] : [t`sur ${routed.id} : ${x.ip} uniquement avec sa MAC, ${routed.mac}`])],
      bad: [stale.mac === null ? t`${x.ip} venant de ${stale.id}` : t`${x.ip} avec la MAC de ${stale.id}, ${stale.mac} : une requête qui en vient, ou ${code(`${x.ip} is-at ${stale.mac}`)}`],
      extra: [p`Et sur ${stale.id} : ${code(grep(x.ip))} ne doit rien afficher.`],
    },
    works: [
      p`Le routeur envoie le trafic destiné à ${x.ip} vers ${routed.id} : depuis Internet, l'IP atteint donc le bon serveur. Mais ${stale.id} continue de la revendiquer sur le réseau local : les machines du VLAN qui la cherchent peuvent recevoir la réponse de l'un ou l'autre serveur, et les deux réponses s'écrasent mutuellement dans leurs tables ARP. Une partie des connexions aboutit alors sur l'ancien serveur, apparemment au hasard.`,
    ],
  }),
  it: (x, { stale, routed, claimers }) => ({
    subject: `IP failover ${x.ip}: ancora configurato sul server ${stale.id}`,
    summary: [
      p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}. È instradato verso il vostro server${serverSuffix(x)}, ma anche il server ${short(stale)} lo usa ancora: vediamo ${x.ip} alternativamente dagli indirizzi MAC dei due server. Di solito succede quando un IP viene spostato da un server all'altro e la vecchia configurazione resta al suo posto.`,
      p`Questi frame disturbano la VLAN e mandano parte del traffico dell'IP al server sbagliato (vedete le domande in fondo). La correzione richiede un minuto, solo su ${stale.id}.`,
    ],
    fix: [
      p`Rimuovete ${x.ip} da ${stale.id}, verso cui non è più instradato:`,
      kv(['Da rimuovere su', [full(stale)]], ['Da mantenere su', [full(routed)]]),
      p`Su ${stale.id}, individuate l'indirizzo e rimuovetelo subito:`,
      pre(removeNow(x.ip)),
      p`(con il prefisso e l'interfaccia mostrati dal primo comando). Poi toglietelo dalla configurazione, perché non ricompaia al prossimo riavvio: le righe di ${x.ip} in ${FILES.interfaces} (o ${FILES.interfacesD}), in ${FILES.netplan}, oppure con NetworkManager:`,
      pre(removeNm(x.ip)),
      p`Se una macchina virtuale su ${stale.id} usa ${x.ip}, cambiate l'indirizzo di quella VM, o fermatela.`,
      p`Se invece è ${stale.id} che deve tenere questo IP, fate il contrario: instradatelo di nuovo verso ${stale.id} dalla vostra area clienti, e rimuovetelo da ${routed.id}.`,
    ],
    saw: claimers.length > 0 ? [p`Le righe si alternano tra ${claimers}: entrambi i server rivendicano ${x.ip}.`] : [],
    check: {
      where: `Su ${stale.id}, e per confronto su ${routed.id}`,
      good: [t`su ${stale.id}: nessun frame per ${x.ip}`, ...(routed.mac === null ? [] : [t`su ${routed.id}: ${x.ip} solo con il suo MAC, ${routed.mac}`])],
      bad: [stale.mac === null ? t`${x.ip} proveniente da ${stale.id}` : t`${x.ip} con il MAC di ${stale.id}, ${stale.mac}: una richiesta che ne proviene, o ${code(`${x.ip} is-at ${stale.mac}`)}`],
      extra: [p`E su ${stale.id}: ${code(grep(x.ip))} non deve mostrare nulla.`],
    },
    works: [
      p`Il router invia il traffico per ${x.ip} a ${routed.id}: da Internet l'IP raggiunge quindi il server giusto. Ma ${stale.id} continua a rivendicarlo sulla rete locale: le macchine della VLAN che lo cercano possono ricevere la risposta dell'uno o dell'altro server, e le due risposte si sovrascrivono a vicenda nelle loro tabelle ARP. Parte delle connessioni finisce così sul vecchio server, apparentemente a caso.`,
    ],
  }),
};

function build(x: Ctx): CaseText {
  const s = x.job.staleServer;
  const r = x.server;
  const stale: Host = s ? { id: s.id, ip: s.ip, mac: s.mac } : { id: x.L.unknown.server, ip: null, mac: null };
  const routed: Host = r ? { id: r.id, ip: r.ip, mac: r.mac } : { id: x.L.unknown.server, ip: null, mac: null };
  const name = (mac: string): string => (mac === stale.mac ? ` (${stale.id})` : mac === routed.mac ? ` (${routed.id})` : '');
  const claimers = x.macs.length > 1 ? joinList(x.macs.map((m) => `${m}${name(m)}`), x.L.and) : [];
  return TEXT[x.locale](x, { stale, routed, claimers });
}

export const duplicateIp: CaseTemplate = { en: build, fr: build, it: build };
