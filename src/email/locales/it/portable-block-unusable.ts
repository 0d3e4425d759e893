/** Portable block: a reserved address in use, or the wrong gateway, in Italian. */
import { addressList } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';
import type { PortableBlockUnusableText } from '../../templates/portable-block-unusable.js';
import { whoHas } from '../../templates/snippets.js';

export const portableBlockUnusable: PortableBlockUnusableText = {
  subject: (x, v) => `IP ${x.ip} (blocco portabile ${v.b.cidr}): ${v.role === null ? 'gateway errato' : 'indirizzo riservato in uso'}`,
  role: { network: "l'indirizzo di rete del blocco", gateway: "l'indirizzo del gateway del blocco", broadcast: "l'indirizzo di broadcast del blocco" },
  reserved: (x, v, role) =>
    p`Il nostro monitoraggio ha rilevato un problema di configurazione nel vostro blocco portabile ${v.b.cidr}: una macchina della vostra VLAN (MAC ${v.seen}) usa ${x.ip}, ${role}, come indirizzo proprio. In un blocco portabile il primo indirizzo è quello di rete, il secondo quello del gateway e l'ultimo quello di broadcast: questi tre indirizzi non possono essere assegnati né a un server né a una macchina virtuale.`,
  gatewayTaken: p`L'indirizzo del gateway appartiene al nostro router: una macchina che lo usa entra in concorrenza con il router, e può isolare tutte le macchine del blocco.`,
  alsoAsks: (v, asked) => p`Inoltre cerca il gateway ${asked}, che non è quello del blocco: il gateway di ${v.b.cidr} è ${v.gw}.`,
  wrongGateway: (x, v, asked) =>
    p`Il nostro monitoraggio ha rilevato un problema di configurazione nel vostro blocco portabile ${v.b.cidr}: la macchina che usa ${x.ip} (MAC ${v.seen}) cerca il gateway ${asked}, che non è quello del blocco. Il gateway di ${v.b.cidr} è ${v.gw}.`,
  disturbs: p`Questi frame disturbano tutta la VLAN (si vedano le domande in fondo). La correzione richiede pochi minuti.`,
  notUsable: (v) => t`${code(v.b.network)} (rete), ${code(v.gw)} (gateway), ${code(v.b.broadcast)} (broadcast)`,
  move: (x, v) => t`Spostate la macchina che usa ${x.ip} su un indirizzo libero tra ${v.b.firstUsable} e ${v.b.lastUsable}, con netmask ${v.b.netmask} e gateway ${v.gw}.`,
  example: (x, v, free) => {
    if (v.inUse === undefined) return t`Per esempio, con ${free} se è libero:`;
    const seen = v.inUse.length === 0 ? t`Il nostro monitoraggio non ne ha visto nessuno in uso sulla vostra VLAN` : t`Il nostro monitoraggio ha visto in uso sulla vostra VLAN ${addressList(x, v.inUse)}, ma non ${free}`;
    return t`${seen}. Per esempio, con ${free}, dopo aver verificato che nessuna delle vostre macchine lo usi:`;
  },
  noneFree: (v) => t`Il nostro monitoraggio ha visto in uso sulla vostra VLAN ciascuno di questi indirizzi, quindi non possiamo suggerirne uno: liberatene prima uno, oppure ordinate un IP portabile (si veda più avanti). Nei comandi qui sotto, scrivete quell'indirizzo al posto di ${code(v.use)}:`,
  freeWord: 'INDIRIZZO_LIBERO',
  othersMove: {
    one: (ip, to) => (to === null
      ? p`Spostate allo stesso modo la macchina che usa ${ip} su un altro indirizzo libero: non ne abbiamo visto un altro libero da suggerire.`
      : p`Spostate allo stesso modo la macchina che usa ${ip} su un altro indirizzo libero: per esempio ${to}.`),
    many: (ips, pairs) => (pairs === null
      ? p`Spostate allo stesso modo le macchine che usano ${ips}, ciascuna su un proprio indirizzo libero: ne abbiamo visti troppo pochi liberi per suggerirne uno a ciascuna.`
      : p`Spostate allo stesso modo le macchine che usano ${ips}, ciascuna su un proprio indirizzo libero: per esempio ${pairs}.`),
    pair: (ip, to) => `${ip} su ${to}`,
  },
  keep: (x, v) => p`Mantenete ${x.ip} e impostate ${v.gw} come gateway:`,
  more: p`Se tutti gli indirizzi utilizzabili sono occupati, ordinate un IP portabile (failover) e instradatelo verso l'indirizzo principale di una delle vostre VM: avrete un indirizzo in più senza toccare il blocco.`,
  sawReserved: (x, v, role) => p`Ogni riga è inviata da ${v.seen} con ${x.ip}, ${role}, come mittente${v.asked === undefined ? '' : `, e chiede chi ha ${v.asked}`}.`,
  values: p`I valori del vostro blocco portabile:`,
  sawGateway: (x, v, asked) => p`Ogni riga mostra la macchina che usa ${x.ip} (MAC ${v.seen}) mentre chiede chi ha ${asked}, invece del gateway del blocco, ${v.gw}.`,
  where: "Sull'host delle macchine di questo blocco, sul bridge che usano, oppure nella VM stessa",
  good: (v) => [t`le vostre macchine che usano solo indirizzi tra ${v.b.firstUsable} e ${v.b.lastUsable}`, t`richieste ${code(`who-has ${v.gw}`)}, ciascuna seguita da una risposta del gateway`],
  badSender: (x) => t`${x.ip} come mittente (${code(`tell ${x.ip}`)})`,
  badGateway: (x, asked) => t`richieste per un altro gateway, come ${whoHas(asked, x.ip)}`,
  works: {
    network: () => p`Un indirizzo riservato può sembrare funzionare per la macchina che lo usa, ma le altre macchine del blocco lo trattano diversamente: gli indirizzi di rete e di broadcast rappresentano tutto il segmento, quindi ciò che viene inviato lì raggiunge tutte le macchine, o nessuna. Il traffico destinato a questa macchina si perde o si duplica a seconda di chi lo invia.`,
    broadcast: () => p`Un indirizzo riservato può sembrare funzionare per la macchina che lo usa, ma le altre macchine del blocco lo trattano diversamente: gli indirizzi di rete e di broadcast rappresentano tutto il segmento, quindi ciò che viene inviato lì raggiunge tutte le macchine, o nessuna. Il traffico destinato a questa macchina si perde o si duplica a seconda di chi lo invia.`,
    gateway: () => p`Un indirizzo riservato può sembrare funzionare per la macchina che lo usa, ma l'indirizzo del gateway appartiene al nostro router: quando la vostra macchina risponde a quell'indirizzo al posto del router, le altre macchine del blocco le inviano il traffico destinato a Internet invece di mandarlo al router. Le connessioni di tutto il blocco funzionano o falliscono a seconda di chi ha risposto per ultimo.`,
    usable: (v) => p`La vostra macchina riceve il suo traffico perché si trova sulla sottorete del blocco. Le sue risposte invece partono verso ${v.asked ?? 'un altro indirizzo'}, e non verso il suo gateway: le connessioni dipendono dalle cache ARP del momento, funzionano per un po', poi si bloccano.`,
  },
};
