/** Case 2, virtual MAC not used, in French. */
import { serverName, serverSuffix } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmacMissingText } from '../../templates/vmac-missing.js';
import { ipLink, netplanMatch } from '../../templates/vmac-missing.js';
import { VM } from './vmac-gateway.js';

export const vmacMissing: VmacMissingText = (x, G, vm, seen) => ({
  subject: `IP failover ${x.ip} : la MAC virtuelle n'est pas utilisée`,
  summary: [
    p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}, routée vers votre serveur${serverSuffix(x)} avec la MAC virtuelle ${vm}. La machine qui utilise cette IP émet depuis une autre adresse MAC, ${seen} : très probablement une machine virtuelle dont la carte réseau a gardé la MAC générée par l'hyperviseur.`,
    p`Il ne s'agit pas d'une panne de notre réseau, mais ces trames le perturbent, et l'IP ne peut fonctionner qu'en partie dans ces conditions (voir les questions en fin de message). La correction prend quelques minutes.`,
  ],
  fix: [
    p`Attribuez la MAC virtuelle ${vm} à la carte réseau de la VM, dans votre hyperviseur :`,
    VM.hypervisors(vm),
    p`Redémarrez ensuite la VM (ou son réseau). Certains systèmes lient leur configuration à l'ancienne MAC (un ${netplanMatch} dans netplan, une règle udev, une connexion NetworkManager attachée à une MAC) : mettez-les à jour aussi.`,
    p`Pour mémoire, la configuration réseau de la VM elle-même :`,
    VM.values(x),
    ...VM.config(x),
  ],
  saw: [p`Chaque ligne porte ${x.ip} comme expéditeur, mais provient de la MAC ${seen}, et non de ${vm}.`],
  check: {
    where: `Sur ${serverName(x, 'votre serveur')}, sur le bridge auquel la VM est rattachée, ou dans la VM`,
    good: [t`des trames pour ${x.ip} venant uniquement de ${vm}, comme ${whoHas(G, x.ip)} suivie d'une réponse`],
    bad: [t`des trames pour ${x.ip} venant de ${seen} ou d'une autre MAC`],
    extra: [p`Et dans la VM : ${ipLink} doit afficher ${code(`link/ether ${vm}`)}.`],
  },
  works: [
    p`Le routeur envoie le trafic destiné à ${x.ip} vers la MAC virtuelle ${vm}. Si aucune carte réseau ne porte cette MAC, les switchs diffusent ces trames sur tous les ports du VLAN ; et la VM répond depuis une MAC que le routeur n'attend pas pour cette IP. Tant que les caches concordent, une partie du trafic passe ; quand ils expirent, les connexions ralentissent ou tombent.`,
  ],
});
