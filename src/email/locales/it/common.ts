/** Italian: the wording every case shares. Written for Italian readers, not translated line by line; it addresses the customer as "voi". */
import type { Common, Stamp } from '../../templates/common.js';
import { code, p, t } from '../../templates/doc.js';
import { DISTRO_CMD, type DurationUnits, exactly, groupDigits, pl, roughly, sameDay, TCPDUMP_FORMAT } from '../../templates/wording.js';

const UNITS: DurationUnits = { s: ['secondo', 'secondi'], m: ['minuto', 'minuti'], h: ['ora', 'ore'] };

const MONTHS = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'];
const day = (s: Stamp): string => `${s.d} ${MONTHS[s.mo - 1]} ${s.y}`;

export const common: Common = {
  language: 'Italian',
  typography: (s) => s,
  and: 'e',
  others: 'altri',
  greeting: 'Buongiorno,',
  duringMaintenance: p`Questo incidente è iniziato durante una finestra di manutenzione, mentre i nostri avvisi per voi erano sospesi. Abbiamo atteso la fine della finestra per scrivervi: il problema è ancora presente.`,
  title: {
    fix: 'Cosa cambiare',
    saw: 'Cosa abbiamo osservato',
    check: 'Come verificarlo voi stessi',
    why: 'Perché vi scriviamo',
    faq: 'Perché ricevo questo avviso se il mio IP funziona?',
    more: 'Buono a sapersi',
  },
  arpNoise: 'traffico ARP anomalo',
  label: {
    address: 'Indirizzo',
    netmask: 'Netmask',
    broadcast: 'Broadcast',
    gateway: 'Gateway',
    mac: 'MAC dell\'interfaccia',
    block: 'Blocco',
    usable: 'Indirizzi utilizzabili',
    notUsable: 'Non utilizzabili',
  },
  num: (n) => groupDigits(n, '.'),
  period: (a, b) => (sameDay(a, b) ? `Il ${day(a)}, dalle ${a.time} alle ${b.time} UTC` : `Dal ${day(a)} alle ${a.time} UTC al ${day(b)} alle ${b.time} UTC`),
  duration: (s) => roughly(s, UNITS, 'circa'),
  sawIntro: (period, duration, vlan, ip) => t`${period} (${duration}), il nostro monitoraggio ha rilevato${vlan === null ? '' : ` sulla VLAN ${vlan}`}, per ${ip}:`,
  signal: (name, n, ip) => {
    const k = common.num(n);
    switch (name) {
      case 'off_link_target': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP da ${ip} per indirizzi che non sono sulla sua rete`;
      case 'unresolved_arp': return t`${k} ${pl(n, 'richiesta ARP rimasta', 'richieste ARP rimaste')} senza risposta`;
      case 'wrong_gateway': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP per un gateway che non è quello giusto`;
      case 'mac_mismatch': return t`${k} frame ARP ${pl(n, 'inviato', 'inviati')} per ${ip} da un indirizzo MAC che non gli è assegnato`;
      case 'flip_flop': return t`${k} ${pl(n, 'cambio', 'cambi')} dell'indirizzo MAC che risponde per ${ip}`;
      case 'unusable_address': return t`${k} frame ARP con un indirizzo riservato del blocco come mittente`;
      case 'routed_ip_target': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP per ${ip} stesso, come se fosse sulla rete locale`;
      case 'excessive_arp': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP oltre il ritmo normale`;
      default: return t`${k} × ${code(name)}`;
    }
  },
  windowNote: (s) => t`Facciamo scattare un avviso quando questi conteggi superano una soglia in una finestra mobile di ${s} secondi.`,
  persistenceNote: (n, period, horizon, w) => t`Questi conteggi restano sotto la soglia della nostra finestra di ${w} secondi, ma abbiamo visto lo stesso problema in ${n} periodi distinti di ${exactly(period, UNITS)} nell'arco di ${exactly(horizon, UNITS)} (i conteggi qui sopra partono dall'ultimo): facciamo scattare un avviso anche per un problema che continua a ripresentarsi, anche se in modo discreto.`,
  samplesIntro: (one) => (one ? t`Questo frame, così come lo mostra tcpdump (${TCPDUMP_FORMAT}, orario in UTC):` : t`I primi di questi frame, così come li mostra tcpdump (${TCPDUMP_FORMAT}, orari in UTC):`),
  why: [
    p`I vostri server condividono il segmento di rete (VLAN) con i server di altri clienti e con il nostro router. Una richiesta ARP viaggia in broadcast: la riceve ogni macchina della VLAN, e il router deve elaborarla. Un IP configurato male ne invia di continuo, spesso per indirizzi che non risponderanno mai. È questo il "traffico ARP anomalo" che il nostro monitoraggio misura, e pesa su tutti i server del segmento, compresi i vostri.`,
    p`Penalizza anche il vostro traffico. Il router tiene una tabella che indica, per ogni IP, quale indirizzo MAC risponde a suo nome (la sua tabella ARP). Quando una configurazione fa chiedere o rispondere una macchina nel modo sbagliato, il router non riesce a tenerla aggiornata, e le connessioni da e verso quell'IP ogni tanto falliscono.`,
  ],
  checkIntro: (where) => t`Potete osservare questo traffico voi stessi con tcpdump. ${where}, come root:`,
  checkHow: t`${code('eth0')} è un esempio: ${DISTRO_CMD.link} elenca i nomi delle vostre interfacce. Lasciatelo girare un minuto o due, poi fermatelo con Ctrl-C.`,
  good: t`Con la configurazione corretta dovreste vedere:`,
  bad: t`Non dovreste più vedere:`,
  faqLead: p`Perché un IP può funzionare ed essere comunque configurato male.`,
  faqEnd: p`Tra un episodio e l'altro la configurazione resta sbagliata: il problema, e questo avviso, si ripresentano finché non viene corretta. La modifica richiede pochi minuti ed elimina guasti intermittenti, altrimenti difficili da individuare.`,
  vrack: p`vRack: i consigli qui sopra riguardano gli IP failover e i blocchi pubblici. Gli indirizzi usati in vRack (rete privata) seguono guide proprie, perché le configurazioni possibili sono troppe per trattarle qui, e non sono mai oggetto di questo avviso. Se usate vRack insieme a questo IP e avete dubbi su come combinarli, chiedeteci pure.`,
  reply: p`Una volta corretta la configurazione, non serve scriverci: l'avviso si chiude da solo quando il traffico cessa. Se qualcosa non è chiaro, o se volete che esaminiamo la configurazione insieme, rispondete a questa email: arriva direttamente al nostro team di rete.`,
  signoff: 'Cordiali saluti,',
  signature: (provider) => `Il team di rete (NOC) di ${provider}`,
  reference: (ref, id, name, cid) => [`Riferimento: ${ref}`, `Incidente: ${id}`, `Cliente: ${name} (${cid})`],
  distro: {
    debian: t`Debian o Ubuntu con ifupdown, in ${code('/etc/network/interfaces')}:`,
    netplan: t`Ubuntu con netplan, nel file di ${code('/etc/netplan/')} che configura eth0, poi ${DISTRO_CMD.netplan}:`,
    nm: t`RHEL, Rocky, AlmaLinux o Fedora (NetworkManager), dove eth0 è il nome della connessione (${DISTRO_CMD.nm}):`,
    windows: t`Windows Server, sul server o in una VM, in PowerShell come amministratore, dove ${code('Ethernet')} è il nome dell'interfaccia (${code('Get-NetAdapter')}):`,
  },
  prefixWord: 'PREFISSO',
  nmPrefixNote: (ip, guess) =>
    guess === null
      ? t`NetworkManager tiene un elenco di indirizzi per ogni connessione, e ne rimuove una voce solo se è scritta esattamente come nell'elenco: il primo comando lo mostra. Nel secondo, scrivete al posto di ${code('PREFISSO')} il prefisso che l'elenco indica per ${ip} (il numero dopo la barra).`
      : t`NetworkManager tiene un elenco di indirizzi per ogni connessione, e ne rimuove una voce solo se è scritta esattamente come nell'elenco: il primo comando lo mostra. Il secondo rimuove ${ip} con il prefisso che ha oggi, /${String(guess)} a giudicare dagli indirizzi che il server cerca, e aggiunge la voce corretta. Se l'elenco mostra ${ip} con un altro prefisso, usate quello al posto di /${String(guess)}.`,
  windowsConsoleNote: t`Eseguiteli dalla console della macchina (quella dell'hypervisor per una VM): i comandi che rimuovono il vecchio indirizzo e la vecchia route interrompono le sessioni che li usano.`,
  windowsAliasNote: (main, ip) => t`${code('Remove-NetIPAddress')} rimuove ${ip} qualunque sia il suo prefisso. ${code('-SkipAsSource $true')} mantiene ${main ?? "l'IP principale del server"} come indirizzo sorgente delle connessioni del server: un IP aggiuntivo (un IP failover o un indirizzo di un blocco) non deve mai diventarlo.`,
  keepMain: "lasciate invariato l'indirizzo principale del server",
  ifaceNote: (ip) => t`${code('eth0')} è un esempio: usate il nome della vostra interfaccia. Sostituite le righe che oggi configurano ${ip}, invece di aggiungerne una seconda copia.`,
  unknown: { main: "l'IP principale del server", gateway: 'il gateway del server', server: "l'altro server", vmac: "il MAC virtuale di questo IP (lo trovate nell'area clienti)", mac: 'il MAC del server' },
  onLinkNote: (ip) => t`Il gateway è fuori da ${ip}/32: bisogna quindi dire al sistema che è raggiungibile direttamente sull'interfaccia. È ciò che fanno ${code('pointopoint')} (ifupdown), ${code('on-link')} (netplan), ${code('onlink')} (NetworkManager) e la route verso il gateway con ${code('-NextHop 0.0.0.0')} (Windows) qui sotto.`,
  ifaceOnly: t`${code('eth0')} è un esempio: usate il nome della vostra interfaccia.`,
  wholeBlock: t`Per osservare tutto il blocco:`,
  applySafely: (main, ip) => t`Applicate la modifica dalla console, o da una sessione aperta su ${main ?? "l'IP principale"}, anziché passando per ${ip} stesso.`,
  group: {
    subject: (n, w) => `${n} IP${w === null ? '' : w.kind === 'block' ? ` del blocco ${w.name}` : ` su ${w.name}`} —`,
    intro: (n, w, ips, apart, first) => t`Questa email riguarda ${String(n)} IP${w === null ? '' : w.kind === 'block' ? ` del blocco ${w.name}` : ` del vostro server ${w.name}`} che presentano lo stesso problema: ${ips}. I loro incidenti sono iniziati nell'arco di ${apart}. Le istruzioni che seguono sono scritte per ${first}, il primo di essi: applicate la stessa modifica ${n === 2 ? "all'altro" : 'a ciascuno degli altri'}, con il rispettivo indirizzo. Quanto abbiamo osservato è riportato IP per IP.`,
  },
};
