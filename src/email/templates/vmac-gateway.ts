/**
 * Case 2, wrong gateway: a failover IP with a virtual MAC, used by a VM that
 * carries the virtual MAC but asks for another gateway than its host
 * server's G. The fix: gateway G, reached on-link, interface MAC = the
 * virtual MAC. VM below is shared with vmac-missing.
 */
import type { Locale } from '../../inventory/model.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { serverName, serverSuffix } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, p, para, t, ul } from './doc.js';
import { distroBlocks, onLinkSnippets, whoHas } from './snippets.js';

/** The gateway a case-2 VM must use: the host server's G. */
export const vmGateway = (x: Ctx): string => x.job.remediation.gateway ?? x.server?.gateway ?? x.L.unknown.gateway;
/** The virtual MAC assigned to the IP. */
export const vmac = (x: Ctx): string => x.job.remediation.virtualMac ?? x.L.unknown.vmac;

/** What the case-2 emails share, per locale. */
export interface VmParts {
  /** the VM's values: address, netmask, gateway on-link, interface MAC */
  values(x: Ctx): Block;
  /** the on-link note, the interface note and the three snippets */
  config(x: Ctx): Block[];
  /** where the virtual MAC is set, per hypervisor */
  hypervisors(vm: string): Block;
}

const config = (x: Ctx): Block[] => [
  para(x.L.onLinkNote(x.ip)),
  para(x.L.ifaceNote(x.ip)),
  ...distroBlocks(x.L, onLinkSnippets({ ip: x.ip, gateway: vmGateway(x) })),
];

const values = (x: Ctx, gateway: Inline[]): Block =>
  kv(
    [x.L.label.address, [code(x.ip)]],
    [x.L.label.netmask, t`${code('255.255.255.255')} (/32)`],
    [x.L.label.gateway, gateway],
    [x.L.label.mac, [code(vmac(x))]],
  );

const libvirtMac = (vm: string): Inline => code(`<mac address='${vm}'/>`);

export const VM: Record<Locale, VmParts> = {
  en: {
    values: (x) => values(x, t`${code(vmGateway(x))}, the gateway of ${serverName(x, 'your server')}, reached directly on the interface`),
    config,
    hypervisors: (vm) =>
      ul(
        t`Proxmox VE: the VM, Hardware, Network Device, MAC address;`,
        t`libvirt/KVM: ${libvirtMac(vm)} in the VM's ${code('<interface>')} element (${code('virsh edit')});`,
        t`VMware ESXi: Edit settings, Network adapter, MAC address: Manual.`,
      ),
  },
  fr: {
    values: (x) => values(x, t`${code(vmGateway(x))}, la passerelle de ${serverName(x, 'votre serveur')}, joignable directement sur l'interface`),
    config,
    hypervisors: (vm) =>
      ul(
        t`Proxmox VE : la VM, Matériel, Périphérique réseau, Adresse MAC ;`,
        t`libvirt/KVM : ${libvirtMac(vm)} dans l'élément ${code('<interface>')} de la VM (${code('virsh edit')}) ;`,
        t`VMware ESXi : Modifier les paramètres, Adaptateur réseau, Adresse MAC : Manuelle.`,
      ),
  },
  it: {
    values: (x) => values(x, t`${code(vmGateway(x))}, il gateway di ${serverName(x, 'il vostro server')}, raggiungibile direttamente sull'interfaccia`),
    config,
    hypervisors: (vm) =>
      ul(
        t`Proxmox VE: la VM, Hardware, Dispositivo di rete, Indirizzo MAC;`,
        t`libvirt/KVM: ${libvirtMac(vm)} nell'elemento ${code('<interface>')} della VM (${code('virsh edit')});`,
        t`VMware ESXi: Modifica impostazioni, Scheda di rete, Indirizzo MAC: Manuale.`,
      ),
  },
};

const ipRoute = code('ip route');

const TEXT: Record<Locale, (x: Ctx, G: string, vm: string, wrong: string | undefined) => CaseText> = {
  en: (x, G, vm, wrong) => ({
    subject: `Failover IP ${x.ip}: wrong gateway on the virtual machine`,
    summary: [
      p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)} with the virtual MAC ${vm}. The virtual MAC is in use, which is right, but the machine using it asks for ${wrong === undefined ? 'another gateway' : `the gateway ${wrong}`}, which is not a gateway for this IP. A failover IP with a virtual MAC always uses the gateway of its host server: ${G}.`,
      p`This is not an outage of our network, but these requests disturb it, and the virtual machine's own connections suffer from them (see the questions at the end). The fix is a change of one or two lines in the virtual machine.`,
    ],
    fix: [
      p`In the virtual machine that uses ${x.ip}, set:`,
      VM.en.values(x),
      ...VM.en.config(x),
      p`The interface's MAC stays ${vm}: it is set on the VM's network card, in your hypervisor.`,
    ],
    saw: wrong === undefined ? [] : [p`Each line is the virtual machine (MAC ${vm}) asking who has ${wrong}, the gateway it is configured with. That address is not the gateway of ${x.ip}; the right one is ${G}.`],
    check: {
      where: `In the virtual machine, or on ${serverName(x, 'your server')} on the bridge the VM is attached to`,
      good: [t`requests ${whoHas(G, x.ip)} sent from ${vm}, each followed by a reply from the gateway`],
      bad: [
        wrong === undefined ? t`requests for any other address than ${G}` : t`requests for ${wrong}, or for any other address than ${G}`,
        t`frames for ${x.ip} from a MAC other than ${vm}`,
      ],
      extra: [p`And in the VM: ${ipRoute} must show the default route via ${G}.`],
    },
    works: [
      p`The router sends the traffic for ${x.ip} to the virtual MAC ${vm}, so incoming packets reach the VM whatever its gateway. Outgoing traffic is another matter: the VM hands it to ${wrong ?? 'another address'}, not to its gateway. Its connections then depend on the ARP caches and on whoever happens to answer for that address: they work for a while, then stall.`,
    ],
  }),
  fr: (x, G, vm, wrong) => ({
    subject: `IP failover ${x.ip} : mauvaise passerelle sur la machine virtuelle`,
    summary: [
      p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}, routée vers votre serveur${serverSuffix(x)} avec la MAC virtuelle ${vm}. La MAC virtuelle est bien utilisée, mais la machine qui la porte demande ${wrong === undefined ? 'une autre passerelle' : `la passerelle ${wrong}`}, qui n'est pas une passerelle pour cette IP. Une IP failover avec MAC virtuelle utilise toujours la passerelle de son serveur hôte : ${G}.`,
      p`Il ne s'agit pas d'une panne de notre réseau, mais ces requêtes le perturbent, et les connexions de la machine virtuelle en pâtissent (voir les questions en fin de message). La correction tient en une ou deux lignes dans la machine virtuelle.`,
    ],
    fix: [
      p`Dans la machine virtuelle qui utilise ${x.ip}, indiquez :`,
      VM.fr.values(x),
      ...VM.fr.config(x),
      p`La MAC de l'interface reste ${vm} : elle se règle sur la carte réseau de la VM, dans votre hyperviseur.`,
    ],
    saw: wrong === undefined ? [] : [p`Chaque ligne montre la machine virtuelle (MAC ${vm}) demandant qui possède ${wrong}, la passerelle qu'elle a configurée. Cette adresse n'est pas la passerelle de ${x.ip} ; la bonne est ${G}.`],
    check: {
      where: `Dans la machine virtuelle, ou sur ${serverName(x, 'votre serveur')} sur le bridge auquel elle est rattachée`,
      good: [t`des requêtes ${whoHas(G, x.ip)} émises par ${vm}, chacune suivie d'une réponse de la passerelle`],
      bad: [
        wrong === undefined ? t`des requêtes pour toute autre adresse que ${G}` : t`des requêtes pour ${wrong}, ou pour toute autre adresse que ${G}`,
        t`des trames pour ${x.ip} venant d'une autre MAC que ${vm}`,
      ],
      extra: [p`Et dans la VM : ${ipRoute} doit montrer la route par défaut via ${G}.`],
    },
    works: [
      p`Le routeur envoie le trafic destiné à ${x.ip} vers la MAC virtuelle ${vm} : les paquets entrants atteignent donc la VM, quelle que soit sa passerelle. Le trafic sortant, lui, est confié à ${wrong ?? 'une autre adresse'}, et non à sa passerelle. Ses connexions dépendent alors des caches ARP et de qui répond, ou non, pour cette adresse : elles fonctionnent un temps, puis se bloquent.`,
    ],
  }),
  it: (x, G, vm, wrong) => ({
    subject: `IP failover ${x.ip}: gateway errato sulla macchina virtuale`,
    summary: [
      p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)} con il MAC virtuale ${vm}. Il MAC virtuale è in uso, e questo è corretto, ma la macchina che lo usa cerca ${wrong === undefined ? 'un altro gateway' : `il gateway ${wrong}`}, che non è un gateway per questo IP. Un IP failover con MAC virtuale usa sempre il gateway del suo server host: ${G}.`,
      p`Non si tratta di un disservizio della nostra rete, ma queste richieste la disturbano, e ne risentono anche le connessioni della macchina virtuale (vedete le domande in fondo). La correzione è questione di una o due righe nella macchina virtuale.`,
    ],
    fix: [
      p`Nella macchina virtuale che usa ${x.ip} impostate:`,
      VM.it.values(x),
      ...VM.it.config(x),
      p`Il MAC dell'interfaccia resta ${vm}: si imposta sulla scheda di rete della VM, nell'hypervisor.`,
    ],
    saw: wrong === undefined ? [] : [p`Ogni riga mostra la macchina virtuale (MAC ${vm}) che chiede chi ha ${wrong}, il gateway con cui è configurata. Quell'indirizzo non è il gateway di ${x.ip}; quello giusto è ${G}.`],
    check: {
      where: `Nella macchina virtuale, oppure su ${serverName(x, 'il vostro server')} sul bridge a cui è collegata`,
      good: [t`richieste ${whoHas(G, x.ip)} inviate da ${vm}, ciascuna seguita da una risposta del gateway`],
      bad: [
        wrong === undefined ? t`richieste per qualunque indirizzo diverso da ${G}` : t`richieste per ${wrong}, o per qualunque indirizzo diverso da ${G}`,
        t`frame per ${x.ip} provenienti da un MAC diverso da ${vm}`,
      ],
      extra: [p`E nella VM: ${ipRoute} deve mostrare la route di default via ${G}.`],
    },
    works: [
      p`Il router invia il traffico per ${x.ip} al MAC virtuale ${vm}: i pacchetti in entrata raggiungono quindi la VM, qualunque sia il suo gateway. Il traffico in uscita invece viene affidato a ${wrong ?? 'un altro indirizzo'}, e non al suo gateway. Le connessioni dipendono allora dalle cache ARP e da chi risponde, o meno, per quell'indirizzo: funzionano per un po', poi si bloccano.`,
    ],
  }),
};

function build(x: Ctx): CaseText {
  const G = vmGateway(x);
  const wrong = x.targets.find((a) => a !== G);
  return TEXT[x.locale](x, G, vmac(x), wrong);
}

export const vmacGateway: CaseTemplate = { en: build, fr: build, it: build };
