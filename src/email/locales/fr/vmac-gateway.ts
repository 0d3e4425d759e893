/** Case 2, wrong gateway on the VM, in French; and the parts the case-2 emails share. */
import { serverName, serverSuffix } from '../../templates/context.js';
import { code, p, t, ul } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmacGatewayText, VmParts } from '../../templates/vmac-gateway.js';
import { hypervMac, ipRoute, libvirtMac, vmConfig, vmGateway, vmTable } from '../../templates/vmac-gateway.js';

/** What the case-2 emails share (vmac-missing too). */
export const VM: VmParts = {
  values: (x) => vmTable(x, t`${code(vmGateway(x))}, la passerelle de ${serverName(x, 'votre serveur')}, joignable directement sur l'interface`),
  config: vmConfig,
  hypervisors: (vm) =>
    ul(
      t`Proxmox VE : la VM, Matériel, Périphérique réseau, Adresse MAC ;`,
      t`libvirt/KVM : ${libvirtMac(vm)} dans l'élément ${code('<interface>')} de la VM (${code('virsh edit')}) ;`,
      t`Hyper-V : Paramètres, Carte réseau, Fonctionnalités avancées, Adresse MAC : Statique, ou dans PowerShell ${hypervMac(vm)} (VM : le nom de la VM) ;`,
      t`VMware ESXi : Modifier les paramètres, Adaptateur réseau, Adresse MAC : Manuelle.`,
    ),
};

export const vmacGateway: VmacGatewayText = (x, G, vm, wrong) => ({
  subject: `IP failover ${x.ip} : mauvaise passerelle sur la machine virtuelle`,
  summary: [
    p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}, routée vers votre serveur${serverSuffix(x)} avec la MAC virtuelle ${vm}. La MAC virtuelle est bien utilisée, mais la machine qui la porte demande ${wrong === undefined ? 'une autre passerelle' : `la passerelle ${wrong}`}, qui n'est pas une passerelle pour cette IP. Une IP failover avec MAC virtuelle utilise toujours la passerelle de son serveur hôte : ${G}.`,
    p`Il ne s'agit pas d'une panne de notre réseau, mais ces requêtes le perturbent, et les connexions de la machine virtuelle en pâtissent (voir les questions en fin de message). La correction tient en une ou deux lignes dans la machine virtuelle.`,
  ],
  fix: [
    p`Dans la machine virtuelle qui utilise ${x.ip}, indiquez :`,
    VM.values(x),
    ...VM.config(x),
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
});
