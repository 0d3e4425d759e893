/**
 * The wording every case shares, per locale: headings, why we write, the
 * evidence in words, the self-check, the FAQ's frame, the vRack remark and
 * the signature. French and Italian are written for their readers, not
 * translated line by line; Italian addresses the customer as "voi".
 */
import type { Locale } from '../../inventory/model.js';
import type { Block, Inline } from './doc.js';
import { code, p, t } from './doc.js';

export interface Common {
  and: string;
  greeting: string;
  title: { fix: string; saw: string; check: string; why: string; faq: string; more: string };
  /** the subject's closing words, in parentheses */
  arpNoise: string;
  label: { address: string; netmask: string; broadcast: string; gateway: string; mac: string; block: string; usable: string; notUsable: string };
  num(n: number): string;
  /** the incident's period: "From 2 November 2026, 09:01:06 to 09:06:02 UTC" */
  period(from: Stamp, to: Stamp): string;
  duration(seconds: number): string;
  sawIntro(period: string, duration: string, vlan: number | null, ip: string): Inline[];
  /** one evidence counter in words */
  signal(name: string, n: number, ip: string): Inline[];
  windowNote(seconds: number): Inline[];
  samplesIntro: Inline[];
  why: Block[];
  checkIntro(where: string): Inline[];
  checkHow: Inline[];
  good: Inline[];
  bad: Inline[];
  faqLead: Block;
  faqEnd: Block;
  vrack: Block;
  reply: Block;
  signoff: string;
  signature(provider: string): string;
  /** the reference lines under the signature (never wrapped: the customer's name stays whole) */
  reference(incidentId: string, customerName: string, customerId: string): string[];
  distro: { debian: Inline[]; netplan: Inline[]; nm: Inline[] };
  /** netplan comment above the added address */
  keepMain: string;
  ifaceNote(ip: string): Inline[];
  applySafely(mainIp: string | null, ip: string): Inline[];
  /** stand-ins when the job has no server (never in practice for these cases, but never "undefined") */
  unknown: { main: string; gateway: string; server: string; vmac: string; mac: string };
  /** why the snippets make the gateway on-link (cases 2 and 3) */
  onLinkNote(ip: string): Inline[];
  /** "eth0 is an example" alone */
  ifaceOnly: Inline[];
  /** "to watch the whole block:" */
  wholeBlock: Inline[];
}

/** A UTC time from the job's ISO strings, read field by field (no Date parsing of microseconds). */
export interface Stamp {
  y: number;
  mo: number;
  d: number;
  time: string;
  epochSeconds: number;
}

export function stamp(iso: string): Stamp | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(iso);
  if (m === null) return null;
  const [y, mo, d, hh, mi, ss] = m.slice(1).map(Number);
  return { y, mo, d, time: `${m[4]}:${m[5]}:${m[6]}`, epochSeconds: Date.UTC(y, mo - 1, d, hh, mi, ss) / 1000 };
}

const sameDay = (a: Stamp, b: Stamp): boolean => a.y === b.y && a.mo === b.mo && a.d === b.d;

const groupDigits = (n: number, sep: string): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, sep);

/** n with the singular or plural noun phrase */
const pl = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** rounded duration: "about 5 minutes" */
function roughly(seconds: number, units: { s: [string, string]; m: [string, string]; h: [string, string] }, about: string): string {
  if (seconds < 90) {
    const n = Math.max(1, Math.round(seconds));
    return `${about} ${n} ${pl(n, ...units.s)}`;
  }
  if (seconds < 5400) {
    const n = Math.round(seconds / 60);
    return `${about} ${n} ${pl(n, ...units.m)}`;
  }
  const n = Math.round(seconds / 3600);
  return `${about} ${n} ${pl(n, ...units.h)}`;
}

const MONTHS: Record<Locale, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
};
const day = (l: Locale, s: Stamp): string => `${l === 'fr' && s.d === 1 ? '1er' : s.d} ${MONTHS[l][s.mo - 1]} ${s.y}`;

const DISTRO_CMD = { netplan: code('netplan apply'), nm: code('nmcli connection show'), link: code('ip -br link') };
const TCPDUMP_FORMAT = code('tcpdump -tttt -nn -e');

// ---------------------------------------------------------------- English

const en: Common = {
  and: 'and',
  greeting: 'Hello,',
  title: {
    fix: 'What to change',
    saw: 'What we saw',
    check: 'How to check it yourself',
    why: 'Why we are writing',
    faq: 'Why do I receive this when my IP works?',
    more: 'Good to know',
  },
  arpNoise: 'ARP noise',
  label: {
    address: 'Address',
    netmask: 'Netmask',
    broadcast: 'Broadcast',
    gateway: 'Gateway',
    mac: 'Interface MAC',
    block: 'Block',
    usable: 'Usable addresses',
    notUsable: 'Not usable',
  },
  num: (n) => groupDigits(n, ','),
  period: (a, b) => (sameDay(a, b) ? `From ${day('en', a)}, ${a.time} to ${b.time} UTC` : `From ${day('en', a)}, ${a.time} UTC to ${day('en', b)}, ${b.time} UTC`),
  duration: (s) => roughly(s, { s: ['second', 'seconds'], m: ['minute', 'minutes'], h: ['hour', 'hours'] }, 'about'),
  sawIntro: (period, duration, vlan, ip) => t`${period} (${duration}), our monitoring saw${vlan === null ? '' : ` on VLAN ${vlan}`}, for ${ip}:`,
  signal: (name, n, ip) => {
    const k = en.num(n);
    switch (name) {
      case 'off_link_target': return t`${k} ${pl(n, 'ARP request', 'ARP requests')} from ${ip} for addresses that are not on its network`;
      case 'unresolved_arp': return t`${k} ${pl(n, 'ARP request that got', 'ARP requests that got')} no answer`;
      case 'wrong_gateway': return t`${k} ${pl(n, 'ARP request', 'ARP requests')} for a gateway that is not the right one`;
      case 'mac_mismatch': return t`${k} ARP ${pl(n, 'frame', 'frames')} for ${ip} sent from a MAC address that is not assigned to it`;
      case 'flip_flop': return t`${k} ${pl(n, 'change', 'changes')} of the MAC address answering for ${ip}`;
      case 'unusable_address': return t`${k} ARP ${pl(n, 'frame', 'frames')} using a reserved address (network, gateway or broadcast) as sender`;
      case 'routed_ip_target': return t`${k} ARP ${pl(n, 'request', 'requests')} for ${ip} itself, as if it were on the local network`;
      case 'excessive_arp': return t`${k} ARP ${pl(n, 'request', 'requests')} above the normal rate`;
      default: return t`${k} × ${code(name)}`;
    }
  },
  windowNote: (s) => t`We raise an alert when such counts pass a threshold within a sliding window of ${s} seconds.`,
  samplesIntro: t`The first of these frames, as tcpdump prints them (${TCPDUMP_FORMAT}, times in UTC):`,
  why: [
    p`Your servers share their network segment (VLAN) with other customers' servers and with our router. An ARP request is a broadcast: every machine of the VLAN receives it, and the router has to process it. A badly configured IP sends such requests all the time, often for addresses that will never answer. That is the "ARP noise" our monitoring measures, and it weighs on every server of the segment, yours included.`,
    p`It also gets in the way of your own traffic. The router keeps a table of which MAC address answers for which IP (its ARP table). When a configuration makes a machine ask or answer the wrong way, the router cannot keep that table right, and connections to and from the IP fail from time to time.`,
  ],
  checkIntro: (where) => t`You can watch the same traffic yourself with tcpdump. ${where}, as root:`,
  checkHow: t`${code('eth0')} is an example: ${DISTRO_CMD.link} lists the names of your interfaces. Leave it running for a minute or two, then stop it with Ctrl-C.`,
  good: t`Once the configuration is right, you should see:`,
  bad: t`You should no longer see:`,
  faqLead: p`Because an IP can work and still be badly configured.`,
  faqEnd: p`In between, the configuration stays wrong, so the problem, and this alert, come back until it is fixed. The change takes a few minutes and removes faults that are otherwise hard to track down.`,
  vrack: p`vRack: the advice above is for public failover IPs and blocks. Addresses used in a vRack (private network) follow their own guides, as there are far too many possible setups to cover here, and we never send this warning about them. If you use a vRack alongside this IP and are unsure how the two fit together, just ask us.`,
  reply: p`Once it is fixed there is nothing to send us: the alert closes by itself when the traffic stops. If anything here is unclear, or you would like us to look at your configuration with you, reply to this email: it goes straight to our network team.`,
  signoff: 'Kind regards,',
  signature: (provider) => `The ${provider} network team (NOC)`,
  reference: (id, name, cid) => [`Reference: incident ${id}`, `Customer: ${name} (${cid})`],
  distro: {
    debian: t`Debian or Ubuntu with ifupdown, in ${code('/etc/network/interfaces')}:`,
    netplan: t`Ubuntu with netplan, in the file of ${code('/etc/netplan/')} that configures eth0, then ${DISTRO_CMD.netplan}:`,
    nm: t`RHEL, Rocky, AlmaLinux or Fedora (NetworkManager), eth0 being the name of the connection (${DISTRO_CMD.nm}):`,
  },
  keepMain: "keep the server's main address as it is",
  ifaceNote: (ip) => t`${code('eth0')} is an example: use the name of your interface. Replace the lines that configure ${ip} today rather than adding a second copy.`,
  unknown: { main: "your server's main IP", gateway: "your server's gateway", server: 'the other server', vmac: 'the virtual MAC of this IP (see your control panel)', mac: "your server's MAC" },
  onLinkNote: (ip) => t`The gateway is outside ${ip}/32, so the system must be told that it is reachable directly on the interface: that is what ${code('pointopoint')} (ifupdown), ${code('on-link')} (netplan) and ${code('onlink')} (NetworkManager) do below.`,
  ifaceOnly: t`${code('eth0')} is an example: use the name of your interface.`,
  wholeBlock: t`To watch the whole block:`,
  applySafely: (main, ip) => t`Apply the change from the console, or over a session on ${main ?? 'the main IP'}, rather than over ${ip} itself.`,
};

// ---------------------------------------------------------------- French

const fr: Common = {
  and: 'et',
  greeting: 'Bonjour,',
  title: {
    fix: 'Ce qu\'il faut changer',
    saw: 'Ce que nous avons observé',
    check: 'Vérifier par vous-même',
    why: 'Pourquoi nous vous écrivons',
    faq: 'Pourquoi recevoir ce message alors que mon IP fonctionne ?',
    more: 'Bon à savoir',
  },
  arpNoise: 'bruit ARP',
  label: {
    address: 'Adresse',
    netmask: 'Masque',
    broadcast: 'Broadcast',
    gateway: 'Passerelle',
    mac: 'MAC de l\'interface',
    block: 'Bloc',
    usable: 'Adresses utilisables',
    notUsable: 'Non utilisables',
  },
  num: (n) => groupDigits(n, '\u00a0'),
  period: (a, b) => (sameDay(a, b) ? `Le ${day('fr', a)}, de ${a.time} à ${b.time} UTC` : `Du ${day('fr', a)} à ${a.time} UTC au ${day('fr', b)} à ${b.time} UTC`),
  duration: (s) => roughly(s, { s: ['seconde', 'secondes'], m: ['minute', 'minutes'], h: ['heure', 'heures'] }, 'environ'),
  sawIntro: (period, duration, vlan, ip) => t`${period} (${duration}), notre supervision a relevé${vlan === null ? '' : ` sur le VLAN ${vlan}`}, pour ${ip} :`,
  signal: (name, n, ip) => {
    const k = fr.num(n);
    const one = n <= 1;
    switch (name) {
      case 'off_link_target': return t`${k} ${one ? 'requête' : 'requêtes'} ARP de ${ip} pour des adresses qui ne sont pas sur son réseau`;
      case 'unresolved_arp': return t`${k} ${one ? 'requête ARP restée' : 'requêtes ARP restées'} sans réponse`;
      case 'wrong_gateway': return t`${k} ${one ? 'requête' : 'requêtes'} ARP pour une passerelle qui n'est pas la bonne`;
      case 'mac_mismatch': return t`${k} ${one ? 'trame ARP émise' : 'trames ARP émises'} pour ${ip} depuis une adresse MAC qui ne lui est pas attribuée`;
      case 'flip_flop': return t`${k} ${one ? 'changement' : 'changements'} de l'adresse MAC qui répond pour ${ip}`;
      case 'unusable_address': return t`${k} ${one ? 'trame' : 'trames'} ARP ayant pour expéditeur une adresse réservée (réseau, passerelle ou broadcast)`;
      case 'routed_ip_target': return t`${k} ${one ? 'requête' : 'requêtes'} ARP demandant ${ip} elle-même, comme si elle se trouvait sur le réseau local`;
      case 'excessive_arp': return t`${k} ${one ? 'requête' : 'requêtes'} ARP au-delà du rythme normal`;
      default: return t`${k} × ${code(name)}`;
    }
  },
  windowNote: (s) => t`Nous déclenchons une alerte quand ces compteurs dépassent un seuil sur une fenêtre glissante de ${s} secondes.`,
  samplesIntro: t`Les premières de ces trames, telles que tcpdump les affiche (${TCPDUMP_FORMAT}, heures UTC) :`,
  why: [
    p`Vos serveurs partagent leur segment réseau (VLAN) avec ceux d'autres clients et avec notre routeur. Une requête ARP est diffusée en broadcast : chaque machine du VLAN la reçoit, et le routeur doit la traiter. Une IP mal configurée en émet sans arrêt, souvent pour des adresses qui ne répondront jamais. C'est ce « bruit ARP » que mesure notre supervision, et il pèse sur tous les serveurs du segment, les vôtres compris.`,
    p`Il gêne aussi votre propre trafic. Le routeur tient une table qui associe à chaque IP l'adresse MAC qui répond pour elle (sa table ARP). Quand une configuration fait demander ou répondre une machine de travers, le routeur ne peut pas tenir cette table à jour, et les connexions vers et depuis l'IP échouent de temps à autre.`,
  ],
  checkIntro: (where) => t`Vous pouvez observer ce trafic vous-même avec tcpdump. ${where}, en root :`,
  checkHow: t`${code('eth0')} est un exemple : ${DISTRO_CMD.link} liste les noms de vos interfaces. Laissez tourner une minute ou deux, puis arrêtez avec Ctrl-C.`,
  good: t`Une fois la configuration corrigée, vous devriez voir :`,
  bad: t`Vous ne devriez plus voir :`,
  faqLead: p`Parce qu'une IP peut fonctionner tout en étant mal configurée.`,
  faqEnd: p`Entre deux épisodes, la configuration reste fausse : le problème, et cette alerte, reviennent tant qu'elle n'est pas corrigée. La correction prend quelques minutes et fait disparaître des pannes intermittentes, autrement difficiles à diagnostiquer.`,
  vrack: p`vRack : les conseils ci-dessus concernent les IP failover et les blocs publics. Les adresses utilisées dans un vRack (réseau privé) suivent leurs propres guides, car les configurations possibles sont bien trop nombreuses pour être traitées ici, et ne font jamais l'objet de cet avertissement. Si vous utilisez un vRack en parallèle de cette IP et ne savez pas trop comment les combiner, posez-nous la question.`,
  reply: p`Une fois la correction faite, inutile de nous écrire : l'alerte se clôt d'elle-même quand le trafic cesse. Si quelque chose n'est pas clair, ou si vous souhaitez que nous regardions la configuration avec vous, répondez simplement à ce message : il arrive directement à notre équipe réseau.`,
  signoff: 'Cordialement,',
  signature: (provider) => `L'équipe réseau (NOC) ${/^[aeiouyhàâäéèêëîïôöûüœ]/i.test(provider) ? `d'${provider}` : `de ${provider}`}`,
  reference: (id, name, cid) => [`Référence : incident ${id}`, `Client : ${name} (${cid})`],
  distro: {
    debian: t`Debian ou Ubuntu avec ifupdown, dans ${code('/etc/network/interfaces')} :`,
    netplan: t`Ubuntu avec netplan, dans le fichier de ${code('/etc/netplan/')} qui configure eth0, puis ${DISTRO_CMD.netplan} :`,
    nm: t`RHEL, Rocky, AlmaLinux ou Fedora (NetworkManager), eth0 étant le nom de la connexion (${DISTRO_CMD.nm}) :`,
  },
  keepMain: "gardez l'adresse principale du serveur telle quelle",
  ifaceNote: (ip) => t`${code('eth0')} est un exemple : utilisez le nom de votre interface. Remplacez les lignes qui configurent ${ip} aujourd'hui plutôt que d'en ajouter une seconde copie.`,
  unknown: { main: "l'IP principale de votre serveur", gateway: 'la passerelle de votre serveur', server: "l'autre serveur", vmac: 'la MAC virtuelle de cette IP (voir votre espace client)', mac: 'la MAC de votre serveur' },
  onLinkNote: (ip) => t`La passerelle est en dehors de ${ip}/32 : il faut donc indiquer au système qu'elle est joignable directement sur l'interface. C'est le rôle de ${code('pointopoint')} (ifupdown), ${code('on-link')} (netplan) et ${code('onlink')} (NetworkManager) ci-dessous.`,
  ifaceOnly: t`${code('eth0')} est un exemple : utilisez le nom de votre interface.`,
  wholeBlock: t`Pour surveiller tout le bloc :`,
  applySafely: (main, ip) => t`Appliquez la modification depuis la console, ou depuis une session ouverte sur ${main ?? "l'IP principale"}, plutôt qu'à travers ${ip} elle-même.`,
};

// ---------------------------------------------------------------- Italian

const it: Common = {
  and: 'e',
  greeting: 'Buongiorno,',
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
  period: (a, b) => (sameDay(a, b) ? `Il ${day('it', a)}, dalle ${a.time} alle ${b.time} UTC` : `Dal ${day('it', a)} alle ${a.time} UTC al ${day('it', b)} alle ${b.time} UTC`),
  duration: (s) => roughly(s, { s: ['secondo', 'secondi'], m: ['minuto', 'minuti'], h: ['ora', 'ore'] }, 'circa'),
  sawIntro: (period, duration, vlan, ip) => t`${period} (${duration}), il nostro monitoraggio ha rilevato${vlan === null ? '' : ` sulla VLAN ${vlan}`}, per ${ip}:`,
  signal: (name, n, ip) => {
    const k = it.num(n);
    switch (name) {
      case 'off_link_target': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP da ${ip} per indirizzi che non sono sulla sua rete`;
      case 'unresolved_arp': return t`${k} ${pl(n, 'richiesta ARP rimasta', 'richieste ARP rimaste')} senza risposta`;
      case 'wrong_gateway': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP per un gateway che non è quello giusto`;
      case 'mac_mismatch': return t`${k} frame ARP ${pl(n, 'inviato', 'inviati')} per ${ip} da un indirizzo MAC che non gli è assegnato`;
      case 'flip_flop': return t`${k} ${pl(n, 'cambio', 'cambi')} dell'indirizzo MAC che risponde per ${ip}`;
      case 'unusable_address': return t`${k} frame ARP con un indirizzo riservato (rete, gateway o broadcast) come mittente`;
      case 'routed_ip_target': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP per ${ip} stesso, come se fosse sulla rete locale`;
      case 'excessive_arp': return t`${k} ${pl(n, 'richiesta', 'richieste')} ARP oltre il ritmo normale`;
      default: return t`${k} × ${code(name)}`;
    }
  },
  windowNote: (s) => t`Facciamo scattare un avviso quando questi conteggi superano una soglia in una finestra mobile di ${s} secondi.`,
  samplesIntro: t`I primi di questi frame, così come li mostra tcpdump (${TCPDUMP_FORMAT}, orari in UTC):`,
  why: [
    p`I vostri server condividono il segmento di rete (VLAN) con i server di altri clienti e con il nostro router. Una richiesta ARP viaggia in broadcast: la riceve ogni macchina della VLAN, e il router deve elaborarla. Un IP configurato male ne invia di continuo, spesso per indirizzi che non risponderanno mai. È questo il "rumore ARP" che il nostro monitoraggio misura, e pesa su tutti i server del segmento, compresi i vostri.`,
    p`Penalizza anche il vostro traffico. Il router tiene una tabella che associa a ogni IP l'indirizzo MAC che risponde per lui (la sua tabella ARP). Quando una configurazione fa chiedere o rispondere una macchina nel modo sbagliato, il router non riesce a tenerla aggiornata, e le connessioni da e verso quell'IP ogni tanto falliscono.`,
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
  reference: (id, name, cid) => [`Riferimento: incidente ${id}`, `Cliente: ${name} (${cid})`],
  distro: {
    debian: t`Debian o Ubuntu con ifupdown, in ${code('/etc/network/interfaces')}:`,
    netplan: t`Ubuntu con netplan, nel file di ${code('/etc/netplan/')} che configura eth0, poi ${DISTRO_CMD.netplan}:`,
    nm: t`RHEL, Rocky, AlmaLinux o Fedora (NetworkManager), dove eth0 è il nome della connessione (${DISTRO_CMD.nm}):`,
  },
  keepMain: "lasciate invariato l'indirizzo principale del server",
  ifaceNote: (ip) => t`${code('eth0')} è un esempio: usate il nome della vostra interfaccia. Sostituite le righe che oggi configurano ${ip}, invece di aggiungerne una seconda copia.`,
  unknown: { main: "l'IP principale del server", gateway: 'il gateway del server', server: "l'altro server", vmac: "il MAC virtuale di questo IP (vedete l'area clienti)", mac: 'il MAC del server' },
  onLinkNote: (ip) => t`Il gateway è fuori da ${ip}/32: bisogna quindi dire al sistema che è raggiungibile direttamente sull'interfaccia. È ciò che fanno ${code('pointopoint')} (ifupdown), ${code('on-link')} (netplan) e ${code('onlink')} (NetworkManager) qui sotto.`,
  ifaceOnly: t`${code('eth0')} è un esempio: usate il nome della vostra interfaccia.`,
  wholeBlock: t`Per osservare tutto il blocco:`,
  applySafely: (main, ip) => t`Applicate la modifica dalla console, o da una sessione aperta su ${main ?? "l'IP principale"}, anziché passando per ${ip} stesso.`,
};

export const COMMON: Record<Locale, Common> = { en, fr, it };
