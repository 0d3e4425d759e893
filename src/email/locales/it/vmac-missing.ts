/** Case 2, virtual MAC not used, in Italian. */
import { serverName, serverSuffix } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmacMissingText } from '../../templates/vmac-missing.js';
import { ipLink, netplanMatch } from '../../templates/vmac-missing.js';
import { VM } from './vmac-gateway.js';

export const vmacMissing: VmacMissingText = (x, G, vm, seen) => ({
  subject: `IP failover ${x.ip}: il MAC virtuale non è utilizzato`,
  summary: [
    p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)} con il MAC virtuale ${vm}. La macchina che usa questo IP trasmette da un altro indirizzo MAC, ${seen}: molto probabilmente una macchina virtuale la cui scheda di rete ha mantenuto il MAC generato dall'hypervisor.`,
    p`Non si tratta di un disservizio della nostra rete, ma questi frame la disturbano, e in queste condizioni l'IP può funzionare solo in parte (si vedano le domande in fondo). La correzione richiede pochi minuti.`,
  ],
  fix: [
    p`Assegnate il MAC virtuale ${vm} alla scheda di rete della VM, nell'hypervisor:`,
    VM.hypervisors(vm),
    p`Poi riavviate la VM (o la sua rete). Alcuni sistemi legano la configurazione al vecchio MAC (un ${netplanMatch} in netplan, una regola udev, una connessione NetworkManager associata a un MAC): aggiornate anche quelli.`,
    p`Per completezza, la configurazione di rete della VM stessa:`,
    VM.values(x),
    ...VM.config(x),
  ],
  saw: [p`Ogni riga ha ${x.ip} come mittente, ma proviene dal MAC ${seen}, non da ${vm}.`],
  check: {
    where: `Su ${serverName(x, 'il vostro server')}, sul bridge a cui è collegata la VM, oppure nella VM`,
    good: [t`frame per ${x.ip} provenienti solo da ${vm}, come la richiesta ${whoHas(G, x.ip)}, seguita da una risposta`],
    bad: [t`frame per ${x.ip} provenienti da ${seen} o da un altro MAC`],
    extra: [p`E nella VM: ${ipLink} deve mostrare ${code(`link/ether ${vm}`)}.`],
  },
  works: [
    p`Il router invia il traffico per ${x.ip} al MAC virtuale ${vm}. Se nessuna scheda di rete ha quel MAC, gli switch inoltrano quei frame su tutte le porte della VLAN; e la VM risponde da un MAC che il router non si aspetta per questo IP. Finché le cache coincidono, una parte del traffico passa; quando scadono, le connessioni rallentano o cadono.`,
  ],
});
