/**
 * Case 2, virtual MAC not used: a failover IP with a virtual MAC is sent from
 * another MAC (a VM whose card kept its generated MAC). The fix: the VM's
 * network card carries the virtual MAC; its gateway is the host's G, on-link.
 */
import type { Locale } from '../../inventory/model.js';
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { serverName, serverSuffix } from './context.js';
import { code, p, t } from './doc.js';
import { IFACE, whoHas } from './snippets.js';
import { VM, vmac, vmGateway } from './vmac-gateway.js';

const ipLink = code(`ip link show ${IFACE}`);
const netplanMatch = code('match: macaddress');

const TEXT: Record<Locale, (x: Ctx, G: string, vm: string, seen: string) => CaseText> = {
  en: (x, G, vm, seen) => ({
    subject: `Failover IP ${x.ip}: the virtual MAC is not used`,
    summary: [
      p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)} with the virtual MAC ${vm}. The machine using this IP sends from another MAC address, ${seen}: most likely a virtual machine whose network card kept the MAC its hypervisor generated.`,
      p`This is not an outage of our network, but these frames disturb it, and the IP can only work partly this way (see the questions at the end). The fix takes a few minutes.`,
    ],
    fix: [
      p`Give the VM's network card the virtual MAC ${vm}, in your hypervisor:`,
      VM.en.hypervisors(vm),
      p`Then restart the VM (or its network). Some systems tie their configuration to the old MAC (a ${netplanMatch} in netplan, a udev rule, a NetworkManager connection bound to a MAC): update those too.`,
      p`For reference, the VM's own network configuration:`,
      VM.en.values(x),
      ...VM.en.config(x),
    ],
    saw: [p`Each line carries ${x.ip} as its sender, but comes from the MAC ${seen}, not from ${vm}.`],
    check: {
      where: `On ${serverName(x, 'your server')}, on the bridge the VM is attached to, or in the VM`,
      good: [t`frames for ${x.ip} from ${vm} only, such as ${whoHas(G, x.ip)} followed by a reply`],
      bad: [t`any frame for ${x.ip} from ${seen} or from another MAC`],
      extra: [p`And in the VM: ${ipLink} must show ${code(`link/ether ${vm}`)}.`],
    },
    works: [
      p`The router sends the traffic for ${x.ip} to the virtual MAC ${vm}. If no network card carries that MAC, the switches flood those frames to every port of the VLAN; and the VM answers from a MAC the router does not expect for this IP. As long as the caches happen to line up, some traffic gets through; when they expire, connections slow down or drop.`,
    ],
  }),
  fr: (x, G, vm, seen) => ({
    subject: `IP failover ${x.ip} : la MAC virtuelle n'est pas utilisée`,
    summary: [
      p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}, routée vers votre serveur${serverSuffix(x)} avec la MAC virtuelle ${vm}. La machine qui utilise cette IP émet depuis une autre adresse MAC, ${seen} : très probablement une machine virtuelle dont la carte réseau a gardé la MAC générée par l'hyperviseur.`,
      p`Il ne s'agit pas d'une panne de notre réseau, mais ces trames le perturbent, et l'IP ne peut fonctionner qu'en partie dans ces conditions (voir les questions en fin de message). La correction prend quelques minutes.`,
    ],
    fix: [
      p`Attribuez la MAC virtuelle ${vm} à la carte réseau de la VM, dans votre hyperviseur :`,
      VM.fr.hypervisors(vm),
      p`Redémarrez ensuite la VM (ou son réseau). Certains systèmes lient leur configuration à l'ancienne MAC (un ${netplanMatch} dans netplan, une règle udev, une connexion NetworkManager attachée à une MAC) : mettez-les à jour aussi.`,
      p`Pour mémoire, la configuration réseau de la VM elle-même :`,
      VM.fr.values(x),
      ...VM.fr.config(x),
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
  }),
  it: (x, G, vm, seen) => ({
    subject: `IP failover ${x.ip}: il MAC virtuale non è utilizzato`,
    summary: [
      p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)} con il MAC virtuale ${vm}. La macchina che usa questo IP trasmette da un altro indirizzo MAC, ${seen}: molto probabilmente una macchina virtuale la cui scheda di rete ha mantenuto il MAC generato dall'hypervisor.`,
      p`Non si tratta di un disservizio della nostra rete, ma questi frame la disturbano, e in queste condizioni l'IP può funzionare solo in parte (vedete le domande in fondo). La correzione richiede pochi minuti.`,
    ],
    fix: [
      p`Assegnate il MAC virtuale ${vm} alla scheda di rete della VM, nell'hypervisor:`,
      VM.it.hypervisors(vm),
      p`Poi riavviate la VM (o la sua rete). Alcuni sistemi legano la configurazione al vecchio MAC (un ${netplanMatch} in netplan, una regola udev, una connessione NetworkManager associata a un MAC): aggiornate anche quelli.`,
      p`Per completezza, la configurazione di rete della VM stessa:`,
      VM.it.values(x),
      ...VM.it.config(x),
    ],
    saw: [p`Ogni riga ha ${x.ip} come mittente, ma proviene dal MAC ${seen}, non da ${vm}.`],
    check: {
      where: `Su ${serverName(x, 'il vostro server')}, sul bridge a cui è collegata la VM, oppure nella VM`,
      good: [t`frame per ${x.ip} provenienti solo da ${vm}, come ${whoHas(G, x.ip)} seguita da una risposta`],
      bad: [t`frame per ${x.ip} provenienti da ${seen} o da un altro MAC`],
      extra: [p`E nella VM: ${ipLink} deve mostrare ${code(`link/ether ${vm}`)}.`],
    },
    works: [
      p`Il router invia il traffico per ${x.ip} al MAC virtuale ${vm}. Se nessuna scheda di rete ha quel MAC, gli switch inoltrano quei frame su tutte le porte della VLAN; e la VM risponde da un MAC che il router non si aspetta per questo IP. Finché le cache coincidono, una parte del traffico passa; quando scadono, le connessioni rallentano o cadono.`,
    ],
  }),
};

function build(x: Ctx): CaseText {
  const vm = vmac(x);
  // the MAC the evidence came from; the samples' first other MAC if the job's is the virtual one
  const seen = x.job.mac !== vm ? x.job.mac : (x.macs.find((m) => m !== vm) ?? x.job.mac);
  return TEXT[x.locale](x, vmGateway(x), vm, seen);
}

export const vmacMissing: CaseTemplate = { en: build, fr: build, it: build };
