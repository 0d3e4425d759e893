/**
 * Case 3: a failover IP without virtual MAC used by a VM bridged onto the
 * segment with its own MAC, usually asking for the server's gateway G. The
 * fix: route the VM through the host (its gateway is the host's physical IP
 * M, on-link, and the host routes the IP to it), or order a virtual MAC (case 2).
 */
import type { Locale } from '../../inventory/model.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { serverName, serverSuffix, targetList } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, h3, kv, p, para, pre, t } from './doc.js';
import { distroBlocks, onLinkSnippets, routedHostSnippets, whoHas } from './snippets.js';

interface V {
  /** the host's physical IP: the VM's gateway */
  M: string;
  /** the host server's gateway (for the virtual MAC option) */
  G: string;
  /** the host's NIC MAC, the only one the router expects for the IP */
  Ms: string;
  /** the VM's MAC seen on the wire */
  seen: string;
  /** the gateway the VM asks for, if the samples show it */
  asked: string | undefined;
  /** the server's id, or the locale's "your server" */
  host: string;
}

const interfacesFile = code('/etc/network/interfaces');

/** The VM's values, the on-link note and the snippets for gateway M; then the host's side. */
function routedFix(x: Ctx, v: V, w: { vmSet: Block; gateway: Inline[]; host: Block; forwarding: Block; after: Block }): Block[] {
  const host = routedHostSnippets({ mainIp: v.M, ip: x.ip });
  return [
    w.vmSet,
    kv([x.L.label.address, [code(x.ip)]], [x.L.label.netmask, t`${code('255.255.255.255')} (/32)`], [x.L.label.gateway, w.gateway]),
    para(x.L.onLinkNote(x.ip)),
    para(x.L.ifaceNote(x.ip)),
    ...distroBlocks(x.L, onLinkSnippets({ ip: x.ip, gateway: v.M })),
    w.host,
    pre(host.interfaces),
    w.forwarding,
    pre(host.forwarding),
    w.after,
  ];
}

const TEXT: Record<Locale, (x: Ctx, v: V) => CaseText> = {
  en: (x, v) => ({
    subject: `Failover IP ${x.ip}: virtual machine without virtual MAC, wrong gateway`,
    summary: [
      p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)} without a virtual MAC. It is used by a machine with a MAC address of its own, ${v.seen}, most likely a virtual machine bridged onto the network${v.asked === undefined ? '' : `, which asks for the gateway ${v.asked}`}. Without a virtual MAC, a VM must not talk to the network directly: its traffic goes through the host, and its gateway is the host's own IP, ${v.M}.`,
      p`This is not an outage of our network, but these frames disturb it, and the IP can only work partly this way (see the questions at the end). There are two ways to fix it, described below.`,
    ],
    fix: [
      h3('Either: route the VM through the host'),
      ...routedFix(x, v, {
        vmSet: p`In the virtual machine, set:`,
        gateway: t`${code(v.M)}, the main IP of ${v.host}, reached directly on the interface`,
        host: p`On the host, the VM's network card must no longer be bridged to the physical interface: attach it to a bridge without a physical port, route ${x.ip} to that bridge, and turn on IP forwarding. With ifupdown (Debian, Proxmox VE), in ${interfacesFile} on ${v.host} (vmbr1 is an example name):`,
        forwarding: p`and for the forwarding:`,
        after: p`The VM's frames then leave your server with the server's own MAC, ${v.Ms}, as the router expects.`,
      }),
      h3('Or: order a virtual MAC'),
      p`Order a virtual MAC for ${x.ip} in your control panel, give it to the VM's network card in your hypervisor, and keep ${v.G} as the gateway, reached on the interface in the same way (the configuration above, with ${v.G} in place of ${v.M}). The VM can then stay bridged.`,
    ],
    saw: [p`Each line is sent by ${v.seen}, which is not your server's MAC (${v.Ms}), on behalf of ${x.ip}${x.targets.length > 0 ? t`, asking who has ${targetList(x)}` : ''}.`],
    check: {
      where: `On ${v.host}, on the physical interface`,
      good: [
        t`frames for ${x.ip} only from your server's MAC, ${v.Ms}`,
        t`in the VM, routed through the host: ${whoHas(v.M, x.ip)}, answered by the host`,
        t`(with a virtual MAC instead: frames for ${x.ip} from that virtual MAC only)`,
      ],
      bad: [t`any frame from ${v.seen} on the physical interface${v.asked === undefined ? '' : t`, such as ${whoHas(v.asked, x.ip)}`}`],
    },
    works: [
      p`The router sends the traffic for ${x.ip} to your server's MAC, ${v.Ms}, and the bridge on your server passes it on to the VM, so the IP answers. But the VM replies from its own MAC, which the router does not expect for this IP, and asks for a gateway that does not serve it. Connections work as long as the caches of the switches and of the router happen to agree, and break when they expire.`,
    ],
  }),
  fr: (x, v) => ({
    subject: `IP failover ${x.ip} : machine virtuelle sans MAC virtuelle, mauvaise passerelle`,
    summary: [
      p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}, routée vers votre serveur${serverSuffix(x)} sans MAC virtuelle. Elle est utilisée par une machine qui a sa propre adresse MAC, ${v.seen}, très probablement une machine virtuelle reliée au réseau par un bridge${v.asked === undefined ? '' : `, et qui demande la passerelle ${v.asked}`}. Sans MAC virtuelle, une VM ne doit pas parler directement au réseau : son trafic passe par l'hôte, et sa passerelle est l'IP de l'hôte lui-même, ${v.M}.`,
      p`Il ne s'agit pas d'une panne de notre réseau, mais ces trames le perturbent, et l'IP ne peut fonctionner qu'en partie dans ces conditions (voir les questions en fin de message). Deux corrections sont possibles, décrites ci-dessous.`,
    ],
    fix: [
      h3('Première solution : router la VM à travers l\'hôte'),
      ...routedFix(x, v, {
        vmSet: p`Dans la machine virtuelle, indiquez :`,
        gateway: t`${code(v.M)}, l'IP principale de ${v.host}, joignable directement sur l'interface`,
        host: p`Sur l'hôte, la carte réseau de la VM ne doit plus être reliée en bridge à l'interface physique : rattachez-la à un bridge sans port physique, routez ${x.ip} vers ce bridge et activez le routage IP. Avec ifupdown (Debian, Proxmox VE), dans ${interfacesFile} sur ${v.host} (vmbr1 est un nom d'exemple) :`,
        forwarding: p`puis, pour le routage :`,
        after: p`Les trames de la VM quittent alors votre serveur avec la MAC du serveur lui-même, ${v.Ms}, comme le routeur s'y attend.`,
      }),
      h3('Seconde solution : commander une MAC virtuelle'),
      p`Commandez une MAC virtuelle pour ${x.ip} dans votre espace client, attribuez-la à la carte réseau de la VM dans votre hyperviseur, et gardez ${v.G} comme passerelle, joignable sur l'interface de la même façon (la configuration ci-dessus, avec ${v.G} à la place de ${v.M}). La VM peut alors rester en bridge.`,
    ],
    saw: [p`Chaque ligne est émise par ${v.seen}, qui n'est pas la MAC de votre serveur (${v.Ms}), au nom de ${x.ip}${x.targets.length > 0 ? t`, et demande qui possède ${targetList(x)}` : ''}.`],
    check: {
      where: `Sur ${v.host}, sur l'interface physique`,
      good: [
        t`des trames pour ${x.ip} venant uniquement de la MAC de votre serveur, ${v.Ms}`,
        t`dans la VM, routée par l'hôte : ${whoHas(v.M, x.ip)}, avec une réponse de l'hôte`,
        t`(avec une MAC virtuelle à la place : des trames pour ${x.ip} venant uniquement de cette MAC)`,
      ],
      bad: [t`des trames venant de ${v.seen} sur l'interface physique${v.asked === undefined ? '' : t`, comme ${whoHas(v.asked, x.ip)}`}`],
    },
    works: [
      p`Le routeur envoie le trafic destiné à ${x.ip} vers la MAC de votre serveur, ${v.Ms}, et le bridge de votre serveur le transmet à la VM : l'IP répond donc. Mais la VM répond depuis sa propre MAC, que le routeur n'attend pas pour cette IP, et demande une passerelle qui ne la dessert pas. Les connexions fonctionnent tant que les caches des switchs et du routeur concordent, et tombent quand ils expirent.`,
    ],
  }),
  it: (x, v) => ({
    subject: `IP failover ${x.ip}: macchina virtuale senza MAC virtuale, gateway errato`,
    summary: [
      p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)} senza MAC virtuale. Lo usa una macchina con un proprio indirizzo MAC, ${v.seen}, molto probabilmente una macchina virtuale collegata alla rete tramite bridge${v.asked === undefined ? '' : `, che cerca il gateway ${v.asked}`}. Senza MAC virtuale, una VM non deve parlare direttamente con la rete: il suo traffico passa dall'host, e il suo gateway è l'IP dell'host stesso, ${v.M}.`,
      p`Non si tratta di un disservizio della nostra rete, ma questi frame la disturbano, e in queste condizioni l'IP può funzionare solo in parte (vedete le domande in fondo). Le soluzioni possibili sono due, descritte qui sotto.`,
    ],
    fix: [
      h3('Prima soluzione: instradare la VM attraverso l\'host'),
      ...routedFix(x, v, {
        vmSet: p`Nella macchina virtuale impostate:`,
        gateway: t`${code(v.M)}, l'IP principale di ${v.host}, raggiungibile direttamente sull'interfaccia`,
        host: p`Sull'host, la scheda di rete della VM non deve più essere in bridge con l'interfaccia fisica: collegatela a un bridge senza porte fisiche, instradate ${x.ip} verso quel bridge e attivate l'inoltro IP. Con ifupdown (Debian, Proxmox VE), in ${interfacesFile} su ${v.host} (vmbr1 è un nome d'esempio):`,
        forwarding: p`e, per l'inoltro:`,
        after: p`I frame della VM escono così dal server con il MAC del server stesso, ${v.Ms}, come il router si aspetta.`,
      }),
      h3('Seconda soluzione: ordinare un MAC virtuale'),
      p`Ordinate un MAC virtuale per ${x.ip} nella vostra area clienti, assegnatelo alla scheda di rete della VM nell'hypervisor, e mantenete ${v.G} come gateway, raggiungibile sull'interfaccia allo stesso modo (la configurazione qui sopra, con ${v.G} al posto di ${v.M}). La VM può così restare in bridge.`,
    ],
    saw: [p`Ogni riga è inviata da ${v.seen}, che non è il MAC del vostro server (${v.Ms}), per conto di ${x.ip}${x.targets.length > 0 ? t`, e chiede chi ha ${targetList(x)}` : ''}.`],
    check: {
      where: `Su ${v.host}, sull'interfaccia fisica`,
      good: [
        t`frame per ${x.ip} provenienti solo dal MAC del server, ${v.Ms}`,
        t`nella VM, instradata tramite l'host: ${whoHas(v.M, x.ip)}, con la risposta dell'host`,
        t`(con un MAC virtuale invece: frame per ${x.ip} provenienti solo da quel MAC)`,
      ],
      bad: [t`frame provenienti da ${v.seen} sull'interfaccia fisica${v.asked === undefined ? '' : t`, come ${whoHas(v.asked, x.ip)}`}`],
    },
    works: [
      p`Il router invia il traffico per ${x.ip} al MAC del vostro server, ${v.Ms}, e il bridge del server lo passa alla VM: l'IP quindi risponde. Ma la VM risponde dal proprio MAC, che il router non si aspetta per questo IP, e cerca un gateway che non la serve. Le connessioni funzionano finché le cache degli switch e del router coincidono, e cadono quando scadono.`,
    ],
  }),
};

const HOST: Record<Locale, string> = { en: 'your server', fr: 'votre serveur', it: 'il vostro server' };

function build(x: Ctx): CaseText {
  const v: V = {
    M: x.job.remediation.gateway ?? x.server?.ip ?? x.L.unknown.main,
    G: x.server?.gateway ?? x.L.unknown.gateway,
    Ms: x.server?.mac ?? x.L.unknown.mac,
    seen: x.job.mac,
    asked: x.targets[0],
    host: serverName(x, HOST[x.locale]),
  };
  return TEXT[x.locale](x, v);
}

export const vmNatGateway: CaseTemplate = { en: build, fr: build, it: build };
