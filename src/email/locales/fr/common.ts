/** French: the wording every case shares. Written for French readers, not translated line by line. */
import type { Common, Stamp } from '../../templates/common.js';
import { code, p, t } from '../../templates/doc.js';
import { DISTRO_CMD, type DurationUnits, exactly, groupDigits, roughly, sameDay, TCPDUMP_FORMAT } from '../../templates/wording.js';

const UNITS: DurationUnits = { s: ['seconde', 'secondes'], m: ['minute', 'minutes'], h: ['heure', 'heures'] };

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const day = (s: Stamp): string => `${s.d === 1 ? '1er' : s.d} ${MONTHS[s.mo - 1]} ${s.y}`;

const NBSP = '\u00a0';

/** French typography: a no-break space before : ; ? ! and inside « » (prose only, never code). */
const frenchTypography = (s: string): string => s.replace(/ ([:;?!»])/g, `${NBSP}$1`).replace(/« /g, `«${NBSP}`);

export const common: Common = {
  language: 'French',
  typography: frenchTypography,
  and: 'et',
  others: "d'autres",
  greeting: 'Bonjour,',
  duringMaintenance: p`Cet incident a commencé pendant une fenêtre de maintenance, alors que nos alertes pour vous étaient suspendues. Nous avons attendu la fin de la fenêtre pour vous écrire : le problème est toujours là.`,
  title: {
    fix: 'Ce qu\'il faut changer',
    saw: 'Ce que nous avons observé',
    check: 'Vérifier par vous-même',
    why: 'Pourquoi nous vous écrivons',
    faq: 'Mon IP fonctionne : pourquoi ce message ?',
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
  period: (a, b) => (sameDay(a, b) ? `Le ${day(a)}, de ${a.time} à ${b.time} UTC` : `Du ${day(a)} à ${a.time} UTC au ${day(b)} à ${b.time} UTC`),
  duration: (s) => roughly(s, UNITS, 'environ'),
  sawIntro: (period, duration, vlan, ip) => t`${period} (${duration}), notre supervision a relevé${vlan === null ? '' : ` sur le VLAN ${vlan}`}, pour ${ip} :`,
  signal: (name, n, ip) => {
    const k = common.num(n);
    const one = n <= 1;
    switch (name) {
      case 'off_link_target': return t`${k} ${one ? 'requête' : 'requêtes'} ARP de ${ip} pour des adresses qui ne sont pas sur son réseau`;
      case 'unresolved_arp': return t`${k} ${one ? 'requête ARP restée' : 'requêtes ARP restées'} sans réponse`;
      case 'wrong_gateway': return t`${k} ${one ? 'requête' : 'requêtes'} ARP pour une passerelle qui n'est pas la bonne`;
      case 'mac_mismatch': return t`${k} ${one ? 'trame ARP émise' : 'trames ARP émises'} pour ${ip} depuis une adresse MAC qui ne lui est pas attribuée`;
      case 'flip_flop': return t`${k} ${one ? 'changement' : 'changements'} de l'adresse MAC qui répond pour ${ip}`;
      case 'unusable_address': return t`${k} ${one ? 'trame' : 'trames'} ARP ayant pour expéditeur une adresse réservée du bloc`;
      case 'routed_ip_target': return t`${k} ${one ? 'requête' : 'requêtes'} ARP demandant ${ip} elle-même, comme si elle se trouvait sur le réseau local`;
      case 'excessive_arp': return t`${k} ${one ? 'requête' : 'requêtes'} ARP au-delà du rythme normal`;
      default: return t`${k} × ${code(name)}`;
    }
  },
  windowNote: (s) => t`Nous déclenchons une alerte quand ces compteurs dépassent un seuil sur une fenêtre glissante de ${s} secondes.`,
  persistenceNote: (n, period, horizon, w) => t`Ces compteurs restent sous le seuil de notre fenêtre de ${w} secondes, mais nous avons vu le même problème sur ${n} périodes distinctes de ${exactly(period, UNITS)} en ${exactly(horizon, UNITS)} (les compteurs ci-dessus partent de la dernière) : nous déclenchons aussi une alerte pour un problème qui revient sans cesse, même discret.`,
  samplesIntro: (one) => (one ? t`Cette trame, telle que tcpdump l'affiche (${TCPDUMP_FORMAT}, heure UTC) :` : t`Les premières de ces trames, telles que tcpdump les affiche (${TCPDUMP_FORMAT}, heures UTC) :`),
  why: [
    p`Vos serveurs partagent leur segment réseau (VLAN) avec ceux d'autres clients et avec notre routeur. Une requête ARP est diffusée à tout le VLAN : chaque machine la reçoit, et le routeur doit la traiter. Une IP mal configurée en émet sans arrêt, souvent pour des adresses qui ne répondront jamais. C'est ce « bruit ARP » que mesure notre supervision, et il pèse sur tous les serveurs du segment, les vôtres compris.`,
    p`Il gêne aussi votre propre trafic. Le routeur tient une table qui associe à chaque IP l'adresse MAC qui répond pour elle (sa table ARP). Quand une machine mal configurée pose les mauvaises questions ARP, ou répond à la place d'une autre, le routeur ne peut pas tenir cette table à jour, et les connexions vers et depuis l'IP échouent de temps à autre.`,
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
  reference: (ref, id, name, cid) => [`Référence : ${ref}`, `Incident : ${id}`, `Client : ${name} (${cid})`],
  distro: {
    debian: t`Debian ou Ubuntu avec ifupdown, dans ${code('/etc/network/interfaces')} :`,
    netplan: t`Ubuntu avec netplan, dans le fichier de ${code('/etc/netplan/')} qui configure eth0, puis ${DISTRO_CMD.netplan} :`,
    nm: t`RHEL, Rocky, AlmaLinux ou Fedora (NetworkManager), eth0 étant le nom de la connexion (${DISTRO_CMD.nm}) :`,
    windows: t`Windows Server, sur le serveur ou dans une VM, dans PowerShell en administrateur, ${code('Ethernet')} étant le nom de l'interface (${code('Get-NetAdapter')}) :`,
  },
  prefixWord: 'PREFIXE',
  nmPrefixNote: (ip, guess) =>
    guess === null
      ? t`NetworkManager tient une liste d'adresses par connexion, et n'en retire une entrée que si elle est écrite exactement comme dans la liste : la première commande l'affiche. Dans la deuxième, remplacez ${code('PREFIXE')} par le préfixe que la liste indique pour ${ip} (le nombre après la barre oblique).`
      : t`NetworkManager tient une liste d'adresses par connexion, et n'en retire une entrée que si elle est écrite exactement comme dans la liste : la première commande l'affiche. La deuxième retire ${ip} avec le préfixe qu'elle a aujourd'hui, /${String(guess)} d'après les adresses que demande votre serveur, puis ajoute la bonne entrée. Si la liste montre ${ip} avec un autre préfixe, utilisez celui-là à la place de /${String(guess)}.`,
  windowsConsoleNote: t`Lancez-les depuis la console de la machine (celle de votre hyperviseur pour une VM) : les commandes qui retirent l'ancienne adresse et l'ancienne route coupent les sessions qui passent par elles.`,
  windowsAliasNote: (main, ip) => t`${code('Remove-NetIPAddress')} retire ${ip} quel que soit son préfixe. ${code('-SkipAsSource $true')} garde ${main ?? "l'IP principale du serveur"} comme adresse source des connexions de votre serveur : une IP supplémentaire (IP failover ou adresse d'un bloc) ne doit jamais le devenir.`,
  keepMain: "gardez l'adresse principale du serveur telle quelle",
  ifaceNote: (ip) => t`${code('eth0')} est un exemple : utilisez le nom de votre interface. Remplacez les lignes qui configurent ${ip} aujourd'hui plutôt que d'en ajouter une seconde copie.`,
  unknown: { main: "l'IP principale de votre serveur", gateway: 'la passerelle de votre serveur', server: "l'autre serveur", vmac: 'la MAC virtuelle de cette IP (voir votre espace client)', mac: 'la MAC de votre serveur' },
  onLinkNote: (ip) => t`La passerelle est en dehors de ${ip}/32 : il faut donc indiquer au système qu'elle est joignable directement sur l'interface. C'est le rôle, ci-dessous, de ${code('pointopoint')} (ifupdown), de ${code('on-link')} (netplan), de ${code('onlink')} (NetworkManager) et de la route vers la passerelle en ${code('-NextHop 0.0.0.0')} (Windows).`,
  ifaceOnly: t`${code('eth0')} est un exemple : utilisez le nom de votre interface.`,
  wholeBlock: t`Pour surveiller tout le bloc :`,
  applySafely: (main, ip) => t`Appliquez la modification depuis la console, ou depuis une session ouverte sur ${main ?? "l'IP principale"}, plutôt qu'à travers ${ip} elle-même.`,
  group: {
    subject: (n, w) => `${n} IP${w === null ? '' : w.kind === 'block' ? ` du bloc ${w.name}` : ` sur ${w.name}`} —`,
    intro: (n, w, ips, apart, first) => t`Ce message concerne ${String(n)} IP${w === null ? '' : w.kind === 'block' ? ` du bloc ${w.name}` : ` de votre serveur ${w.name}`} qui présentent le même problème : ${ips}. Leurs incidents ont ${n === 2 ? 'tous deux' : 'tous'} commencé en l'espace d'${apart}. Les instructions ci-dessous sont rédigées pour ${first}, la première d'entre elles : appliquez la même modification ${n === 2 ? "à l'autre" : 'à chacune des autres'}, avec sa propre adresse. Ce que nous avons observé est détaillé IP par IP.`,
  },
};
