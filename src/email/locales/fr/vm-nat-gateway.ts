/** Case 3, a VM without virtual MAC bridged onto the segment, in French. */
import { serverSuffix, targetList } from '../../templates/context.js';
import { code, h3, p, t } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmNatGatewayText } from '../../templates/vm-nat-gateway.js';
import { interfacesFile, routedFix } from '../../templates/vm-nat-gateway.js';

const text: VmNatGatewayText['text'] = (x, v) => ({
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
      windowsHost: p`Avec Windows Server et Hyper-V sur ${v.host}, dans PowerShell en administrateur (VM étant le nom de la machine virtuelle dans Hyper-V, ${code('Ethernet')} l'interface physique) : un commutateur interne tient lieu de bridge sans port physique, et l'hôte route ${x.ip} vers lui, sans NAT :`,
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
});

export const vmNatGateway: VmNatGatewayText = { yourServer: 'votre serveur', text };
