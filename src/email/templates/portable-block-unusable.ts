/**
 * Portable block: a secondary subnet on the customer's VLAN whose first
 * address is the network, the second the gateway (the router's) and the last
 * the broadcast. Either one of those three is used as a machine's address, or
 * a machine of the block asks for another gateway than the block's. The fix:
 * a usable address, the block's netmask and gateway.
 */
import type { EmailJob } from '../job.js';
import type { Locale } from '../../inventory/model.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { prefixOf, reservedRole } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, p, para, pre, t } from './doc.js';
import { distroBlocks, IFACE, subnetSnippets, whoHas } from './snippets.js';

type Role = 'network' | 'gateway' | 'broadcast';

interface V {
  b: NonNullable<EmailJob['remediation']['block']>;
  gw: string;
  role: Role | null;
  /** the other gateway the machine asks for, if any */
  asked: string | undefined;
  seen: string;
  /** the address the snippets configure: the IP if usable, else the block's first usable one */
  use: string;
}

interface Words {
  subject(x: Ctx, v: V): string;
  role: Record<Role, string>;
  reserved(x: Ctx, v: V, role: string): Block;
  gatewayTaken: Block;
  alsoAsks(v: V, asked: string): Block;
  wrongGateway(x: Ctx, v: V, asked: string): Block;
  disturbs: Block;
  notUsable(v: V): Inline[];
  move(x: Ctx, v: V): Block;
  keep(x: Ctx, v: V): Block;
  more: Block;
  sawReserved(x: Ctx, v: V, role: string): Block;
  values: Block;
  sawGateway(x: Ctx, v: V, asked: string): Block;
  where: string;
  good(v: V): Inline[][];
  badSender(x: Ctx): Inline[];
  badGateway(x: Ctx, asked: string): Inline[];
  works: Record<Role | 'usable', (v: V) => Block>;
}

const WORDS: Record<Locale, Words> = {
  en: {
    subject: (x, v) => `IP ${x.ip} (portable block ${v.b.cidr}): ${v.role === null ? 'wrong gateway' : 'reserved address in use'}`,
    role: { network: "the block's network address", gateway: "the block's gateway address", broadcast: "the block's broadcast address" },
    reserved: (x, v, role) =>
      p`Our monitoring has found a configuration problem in your portable block ${v.b.cidr}: a machine on your VLAN (MAC ${v.seen}) uses ${x.ip}, ${role}, as its own address. In a portable block the first address is the network, the second the gateway and the last the broadcast: these three cannot be given to a server or a virtual machine.`,
    gatewayTaken: p`The gateway address belongs to our router: a machine that takes it competes with the router, and can cut off every machine of the block.`,
    alsoAsks: (v, asked) => p`It also asks for the gateway ${asked}, which is not the block's: the gateway of ${v.b.cidr} is ${v.gw}.`,
    wrongGateway: (x, v, asked) =>
      p`Our monitoring has found a configuration problem in your portable block ${v.b.cidr}: the machine using ${x.ip} (MAC ${v.seen}) asks for the gateway ${asked}, which is not the block's. The gateway of ${v.b.cidr} is ${v.gw}.`,
    disturbs: p`These frames disturb the whole VLAN (see the questions at the end). The fix takes a few minutes.`,
    notUsable: (v) => t`${code(v.b.network)} (network), ${code(v.gw)} (gateway), ${code(v.b.broadcast)} (broadcast)`,
    move: (x, v) => p`Move the machine that uses ${x.ip} to a free address between ${v.b.firstUsable} and ${v.b.lastUsable}, with netmask ${v.b.netmask} and gateway ${v.gw}. For example, with ${v.use} if it is free:`,
    keep: (x, v) => p`Keep ${x.ip} and set its gateway to ${v.gw}:`,
    more: p`If every usable address is taken, order a portable (failover) IP and route it to the main address of one of your VMs: it adds an address without touching the block.`,
    sawReserved: (x, v, role) => p`Each line is sent by ${v.seen} with ${x.ip}, ${role}, as its sender${v.asked === undefined ? '' : `, asking who has ${v.asked}`}.`,
    values: p`The values of your portable block:`,
    sawGateway: (x, v, asked) => p`Each line is the machine using ${x.ip} (MAC ${v.seen}) asking who has ${asked}, instead of the block's gateway, ${v.gw}.`,
    where: 'On the host of the machines of this block, on the bridge they use, or in the VM itself',
    good: (v) => [t`your machines using addresses between ${v.b.firstUsable} and ${v.b.lastUsable} only`, t`requests ${code(`who-has ${v.gw}`)}, each followed by a reply from the gateway`],
    badSender: (x) => t`${x.ip} as a sender (${code(`tell ${x.ip}`)})`,
    badGateway: (x, asked) => t`requests for another gateway, such as ${whoHas(asked, x.ip)}`,
    works: {
      network: () => p`A reserved address can seem to work for the machine that uses it, but the other machines of the block treat it differently: the network and broadcast addresses stand for the whole segment, so what is sent to them reaches every machine, or none. Traffic for this machine gets lost or duplicated, depending on who sends it.`,
      broadcast: () => p`A reserved address can seem to work for the machine that uses it, but the other machines of the block treat it differently: the network and broadcast addresses stand for the whole segment, so what is sent to them reaches every machine, or none. Traffic for this machine gets lost or duplicated, depending on who sends it.`,
      gateway: () => p`A reserved address can seem to work for the machine that uses it, but the gateway address belongs to our router: when your machine answers for it, the other machines of the block send it their Internet traffic instead of sending it to the router. Connections of the whole block then work or fail depending on who answered last.`,
      usable: (v) => p`Your machine receives its traffic because it sits on the block's subnet. Its replies, though, go to ${v.asked ?? 'another address'}, not to its gateway: connections depend on the ARP caches of the moment, work for a while, then stall.`,
    },
  },
  fr: {
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
    move: (x, v) => p`Déplacez la machine qui utilise ${x.ip} sur une adresse libre entre ${v.b.firstUsable} et ${v.b.lastUsable}, avec le masque ${v.b.netmask} et la passerelle ${v.gw}. Par exemple, avec ${v.use} si elle est libre :`,
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
  },
  it: {
    subject: (x, v) => `IP ${x.ip} (blocco portabile ${v.b.cidr}): ${v.role === null ? 'gateway errato' : 'indirizzo riservato in uso'}`,
    role: { network: "l'indirizzo di rete del blocco", gateway: "l'indirizzo del gateway del blocco", broadcast: "l'indirizzo di broadcast del blocco" },
    reserved: (x, v, role) =>
      p`Il nostro monitoraggio ha rilevato un problema di configurazione nel vostro blocco portabile ${v.b.cidr}: una macchina della vostra VLAN (MAC ${v.seen}) usa ${x.ip}, ${role}, come indirizzo proprio. In un blocco portabile il primo indirizzo è quello di rete, il secondo quello del gateway e l'ultimo quello di broadcast: questi tre indirizzi non possono essere assegnati né a un server né a una macchina virtuale.`,
    gatewayTaken: p`L'indirizzo del gateway appartiene al nostro router: una macchina che lo usa entra in concorrenza con il router, e può isolare tutte le macchine del blocco.`,
    alsoAsks: (v, asked) => p`Inoltre cerca il gateway ${asked}, che non è quello del blocco: il gateway di ${v.b.cidr} è ${v.gw}.`,
    wrongGateway: (x, v, asked) =>
      p`Il nostro monitoraggio ha rilevato un problema di configurazione nel vostro blocco portabile ${v.b.cidr}: la macchina che usa ${x.ip} (MAC ${v.seen}) cerca il gateway ${asked}, che non è quello del blocco. Il gateway di ${v.b.cidr} è ${v.gw}.`,
    disturbs: p`Questi frame disturbano tutta la VLAN (vedete le domande in fondo). La correzione richiede pochi minuti.`,
    notUsable: (v) => t`${code(v.b.network)} (rete), ${code(v.gw)} (gateway), ${code(v.b.broadcast)} (broadcast)`,
    move: (x, v) => p`Spostate la macchina che usa ${x.ip} su un indirizzo libero tra ${v.b.firstUsable} e ${v.b.lastUsable}, con netmask ${v.b.netmask} e gateway ${v.gw}. Per esempio, con ${v.use} se è libero:`,
    keep: (x, v) => p`Mantenete ${x.ip} e impostate ${v.gw} come gateway:`,
    more: p`Se tutti gli indirizzi utilizzabili sono occupati, ordinate un IP portabile (failover) e instradatelo verso l'indirizzo principale di una delle vostre VM: avrete un indirizzo in più senza toccare il blocco.`,
    sawReserved: (x, v, role) => p`Ogni riga è inviata da ${v.seen} con ${x.ip}, ${role}, come mittente${v.asked === undefined ? '' : `, e chiede chi ha ${v.asked}`}.`,
    values: p`I valori del vostro blocco portabile:`,
    sawGateway: (x, v, asked) => p`Ogni riga mostra la macchina che usa ${x.ip} (MAC ${v.seen}) mentre chiede chi ha ${asked}, invece del gateway del blocco, ${v.gw}.`,
    where: "Sull'host delle macchine di questo blocco, sul bridge che usano, oppure nella VM stessa",
    good: (v) => [t`le vostre macchine che usano solo indirizzi tra ${v.b.firstUsable} e ${v.b.lastUsable}`, t`richieste ${code(`who-has ${v.gw}`)}, ciascuna seguita da una risposta del gateway`],
    badSender: (x) => t`${x.ip} come mittente (${code(`tell ${x.ip}`)})`,
    badGateway: (x, asked) => t`richieste per un altro gateway, come ${whoHas(asked, x.ip)}`,
    works: {
      network: () => p`Un indirizzo riservato può sembrare funzionare per la macchina che lo usa, ma le altre macchine del blocco lo trattano diversamente: gli indirizzi di rete e di broadcast rappresentano tutto il segmento, quindi ciò che viene inviato lì raggiunge tutte le macchine, o nessuna. Il traffico destinato a questa macchina si perde o si duplica a seconda di chi lo invia.`,
      broadcast: () => p`Un indirizzo riservato può sembrare funzionare per la macchina che lo usa, ma le altre macchine del blocco lo trattano diversamente: gli indirizzi di rete e di broadcast rappresentano tutto il segmento, quindi ciò che viene inviato lì raggiunge tutte le macchine, o nessuna. Il traffico destinato a questa macchina si perde o si duplica a seconda di chi lo invia.`,
      gateway: () => p`Un indirizzo riservato può sembrare funzionare per la macchina che lo usa, ma l'indirizzo del gateway appartiene al nostro router: quando la vostra macchina risponde per lui, le altre macchine del blocco le inviano il traffico destinato a Internet invece di mandarlo al router. Le connessioni di tutto il blocco funzionano o falliscono a seconda di chi ha risposto per ultimo.`,
      usable: (v) => p`La vostra macchina riceve il suo traffico perché si trova sulla sottorete del blocco. Le sue risposte invece partono verso ${v.asked ?? 'un altro indirizzo'}, e non verso il suo gateway: le connessioni dipendono dalle cache ARP del momento, funzionano per un po', poi si bloccano.`,
    },
  },
};

function build(x: Ctx): CaseText {
  const b = x.job.remediation.block;
  if (b === undefined) throw new Error(`portable-block-unusable job ${x.job.jobId} has no remediation.block`);
  const gw = x.job.remediation.gateway ?? b.firstUsable;
  const role = reservedRole(x.ip, b, x.job.remediation.gateway);
  const v: V = { b, gw, role, asked: x.targets.find((a) => a !== gw), seen: x.job.mac, use: role === null ? x.ip : b.firstUsable };
  const W = WORDS[x.locale];
  const L = x.L;
  const prefix = prefixOf(b.netmask);
  const summary: Block[] =
    role !== null
      ? [W.reserved(x, v, W.role[role]), ...(role === 'gateway' ? [W.gatewayTaken] : []), ...(v.asked !== undefined ? [W.alsoAsks(v, v.asked)] : [])]
      : [W.wrongGateway(x, v, v.asked ?? L.unknown.gateway)];
  const saw: Block[] =
    role !== null ? [W.sawReserved(x, v, W.role[role])] : v.asked !== undefined ? [W.sawGateway(x, v, v.asked)] : [];
  return {
    subject: W.subject(x, v),
    summary: [...summary, W.disturbs],
    fix: [
      W.values,
      kv(
        [L.label.block, [code(b.cidr)]],
        [L.label.usable, [code(`${b.firstUsable}–${b.lastUsable}`)]],
        [L.label.netmask, t`${code(b.netmask)} (/${prefix})`],
        [L.label.gateway, [code(gw)]],
        [L.label.notUsable, W.notUsable(v)],
      ),
      role !== null ? W.move(x, v) : W.keep(x, v),
      ...distroBlocks(L, subnetSnippets({ ip: v.use, prefix, netmask: b.netmask, gateway: gw })),
      para(L.ifaceOnly),
      W.more,
    ],
    saw,
    check: {
      where: W.where,
      good: W.good(v),
      bad: [...(role !== null ? [W.badSender(x)] : []), ...(v.asked !== undefined ? [W.badGateway(x, v.asked)] : [])],
      extra: [para(L.wholeBlock), pre([`tcpdump -nn -e -i ${IFACE} arp and net ${b.cidr}`])],
    },
    works: [W.works[role ?? 'usable'](v)],
  };
}

export const portableBlockUnusable: CaseTemplate = { en: build, fr: build, it: build };
