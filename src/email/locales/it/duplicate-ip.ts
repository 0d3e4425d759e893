/** Duplicate: the IP still configured on a server it is no longer routed to, in Italian. */
import { serverSuffix } from '../../templates/context.js';
import { code, kv, p, para, pre, t } from '../../templates/doc.js';
import type { DuplicateIpText } from '../../templates/duplicate-ip.js';
import { FILES, full, grep, removeNm, removeNow, removeWin, short } from '../../templates/duplicate-ip.js';

export const duplicateIp: DuplicateIpText = (x, { stale, routed, claimers }) => ({
  subject: `IP failover ${x.ip}: ancora configurato sul server ${stale.id}`,
  summary: [
    p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}. È instradato verso il vostro server${serverSuffix(x)}, ma anche il server ${short(stale)} lo usa ancora: vediamo ${x.ip} alternativamente dagli indirizzi MAC dei due server. Di solito succede quando un IP viene spostato da un server all'altro e la vecchia configurazione resta al suo posto.`,
    p`Questi frame disturbano la VLAN e mandano parte del traffico dell'IP al server sbagliato (si vedano le domande in fondo). La correzione richiede un minuto, solo su ${stale.id}.`,
  ],
  fix: [
    p`Rimuovete ${x.ip} da ${stale.id}, verso cui non è più instradato:`,
    kv(['Da rimuovere su', [full(stale)]], ['Da mantenere su', [full(routed)]]),
    p`Su ${stale.id}, individuate l'indirizzo e rimuovetelo subito:`,
    pre(removeNow(x.ip, x.L.prefixWord)),
    p`(scrivendo al posto di ${code('PREFISSO')} e di ${code('eth0')} il prefisso e l'interfaccia mostrati dal primo comando). Poi toglietelo dalla configurazione, perché non ricompaia al prossimo riavvio: le righe di ${x.ip} in ${FILES.interfaces} (o ${FILES.interfacesD}), in ${FILES.netplan}, oppure con NetworkManager:`,
    pre(removeNm(x.ip, x.L.prefixWord)),
    para(x.L.nmPrefixNote(x.ip, null)),
    p`Su Windows Server, in PowerShell come amministratore (la modifica resta anche dopo il riavvio):`,
    pre(removeWin(x.ip)),
    p`Se una macchina virtuale su ${stale.id} usa ${x.ip}, cambiate l'indirizzo di quella VM, o fermatela.`,
    p`Se invece è ${stale.id} che deve tenere questo IP, fate il contrario: instradatelo di nuovo verso ${stale.id} dalla vostra area clienti, e rimuovetelo da ${routed.id}.`,
  ],
  saw: claimers.length > 0 ? [p`Le righe si alternano tra ${claimers}: entrambi i server rivendicano ${x.ip}.`] : [],
  check: {
    where: `Su ${stale.id}, e per confronto su ${routed.id}`,
    good: [t`su ${stale.id}: nessun frame per ${x.ip}`, ...(routed.mac === null ? [] : [t`su ${routed.id}: ${x.ip} solo con il suo MAC, ${routed.mac}`])],
    bad: [stale.mac === null ? t`${x.ip} proveniente da ${stale.id}` : t`${x.ip} con il MAC di ${stale.id}, ${stale.mac}: una richiesta che ne proviene, o ${code(`${x.ip} is-at ${stale.mac}`)}`],
    extra: [p`E su ${stale.id}: ${code(grep(x.ip))} non deve mostrare nulla.`],
  },
  works: [
    p`Il router invia il traffico per ${x.ip} a ${routed.id}: da Internet l'IP raggiunge quindi il server giusto. Ma ${stale.id} continua a rivendicarlo sulla rete locale: le macchine della VLAN che lo cercano possono ricevere la risposta dell'uno o dell'altro server, e le due risposte si sovrascrivono a vicenda nelle loro tabelle ARP. Parte delle connessioni finisce così sul vecchio server, apparentemente a caso.`,
  ],
});
