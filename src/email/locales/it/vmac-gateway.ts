/** Case 2, wrong gateway on the VM, in Italian; and the parts the case-2 emails share. */
import { serverName, serverSuffix } from '../../templates/context.js';
import { code, p, t, ul } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmacGatewayText, VmParts } from '../../templates/vmac-gateway.js';
import { hypervMac, ipRoute, libvirtMac, vmConfig, vmGateway, vmTable } from '../../templates/vmac-gateway.js';

/** What the case-2 emails share (vmac-missing too). */
export const VM: VmParts = {
  values: (x) => vmTable(x, t`${code(vmGateway(x))}, il gateway di ${serverName(x, 'il vostro server')}, raggiungibile direttamente sull'interfaccia`),
  config: vmConfig,
  hypervisors: (vm) =>
    ul(
      t`Proxmox VE: la VM, Hardware, Dispositivo di rete, Indirizzo MAC;`,
      t`libvirt/KVM: ${libvirtMac(vm)} nell'elemento ${code('<interface>')} della VM (${code('virsh edit')});`,
      t`Hyper-V: Impostazioni, Scheda di rete, Funzionalità avanzate, Indirizzo MAC: Statico, oppure in PowerShell ${hypervMac(vm)} (VM: il nome della VM);`,
      t`VMware ESXi: Modifica impostazioni, Scheda di rete, Indirizzo MAC: Manuale.`,
    ),
};

export const vmacGateway: VmacGatewayText = (x, G, vm, wrong) => ({
  subject: `IP failover ${x.ip}: gateway errato sulla macchina virtuale`,
  summary: [
    p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)} con il MAC virtuale ${vm}. Il MAC virtuale è in uso, e questo è corretto, ma la macchina che lo usa cerca ${wrong === undefined ? 'un altro gateway' : `il gateway ${wrong}`}, che non è un gateway per questo IP. Un IP failover con MAC virtuale usa sempre il gateway del suo server host: ${G}.`,
    p`Non si tratta di un disservizio della nostra rete, ma queste richieste la disturbano, e ne risentono anche le connessioni della macchina virtuale (si vedano le domande in fondo). La correzione è questione di una o due righe nella macchina virtuale.`,
  ],
  fix: [
    p`Nella macchina virtuale che usa ${x.ip} impostate:`,
    VM.values(x),
    ...VM.config(x),
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
});
