/** Case 3, a VM without virtual MAC bridged onto the segment, in Italian. */
import { serverSuffix, targetList } from '../../templates/context.js';
import { code, h3, p, t } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmNatGatewayText } from '../../templates/vm-nat-gateway.js';
import { interfacesFile, routedFix } from '../../templates/vm-nat-gateway.js';

const text: VmNatGatewayText['text'] = (x, v) => ({
  subject: `IP failover ${x.ip}: macchina virtuale senza MAC virtuale, gateway errato`,
  summary: [
    p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)} senza MAC virtuale. Lo usa una macchina con un proprio indirizzo MAC, ${v.seen}, molto probabilmente una macchina virtuale collegata alla rete tramite bridge${v.asked === undefined ? '' : `, che cerca il gateway ${v.asked}`}. Senza MAC virtuale, una VM non deve parlare direttamente con la rete: il suo traffico passa dall'host, e il suo gateway è l'IP dell'host stesso, ${v.M}.`,
    p`Non si tratta di un disservizio della nostra rete, ma questi frame la disturbano, e in queste condizioni l'IP può funzionare solo in parte (si vedano le domande in fondo). Le soluzioni possibili sono due, descritte qui sotto.`,
  ],
  fix: [
    h3('Prima soluzione: instradare la VM attraverso l\'host'),
    ...routedFix(x, v, {
      vmSet: p`Nella macchina virtuale impostate:`,
      gateway: t`${code(v.M)}, l'IP principale di ${v.host}, raggiungibile direttamente sull'interfaccia`,
      host: p`Sull'host, la scheda di rete della VM non deve più essere in bridge con l'interfaccia fisica: collegatela a un bridge senza porte fisiche, instradate ${x.ip} verso quel bridge e attivate l'inoltro IP. Con ifupdown (Debian, Proxmox VE), in ${interfacesFile} su ${v.host} (vmbr1 è un nome d'esempio):`,
      forwarding: p`e, per l'inoltro:`,
      windowsHost: p`Con Windows Server e Hyper-V su ${v.host}, in PowerShell come amministratore (dove VM è il nome della macchina virtuale in Hyper-V e ${code('Ethernet')} l'interfaccia fisica): uno switch interno fa da bridge senza porte fisiche, e l'host instrada ${x.ip} verso di esso, senza NAT:`,
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
});

export const vmNatGateway: VmNatGatewayText = { yourServer: 'il vostro server', text };
