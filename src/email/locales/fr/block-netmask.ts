/** Case 1a, wrong netmask for an unsplit block, in French. */
import type { BlockNetmaskText } from '../../templates/block-netmask.js';
import { mainIp, serverGateway, serverSuffix } from '../../templates/context.js';
import { code, p, para, pre, t } from '../../templates/doc.js';
import { FILES, removeNm, removeNow, removeWin } from '../../templates/duplicate-ip.js';

export const blockNetmask: BlockNetmaskText = {
  subject: (x, b) => `IP ${x.ip} (bloc ${b.cidr}) : masque incorrect pour le bloc`,
  summary: (x, b) =>
    p`Notre supervision a détecté un problème de configuration sur ${x.ip}, une adresse du bloc d'IP ${b.cidr} routé vers votre serveur${serverSuffix(x)}. Ce bloc n'est pas découpé : ses adresses s'utilisent ensemble, avec le masque et le broadcast propres au bloc. Or ${x.ip} est configurée avec un masque plus large : votre serveur croit donc que des adresses extérieures au bloc sont sur son réseau, et ne cesse de les demander en ARP.`,
  misuse: (b) => p`L'adresse de réseau du bloc (${b.network}) ou son adresse de broadcast (${b.broadcast}) apparaît aussi comme expéditeur : ni l'une ni l'autre ne peut être attribuée à une machine.`,
  fixIntro: p`Reprenez les valeurs de l'e-mail d'attribution du bloc, pour chaque adresse du bloc que vous configurez :`,
  notUsable: (b) => t`${code(b.network)} (réseau), ${code(b.broadcast)} (broadcast)`,
  noGateway: (x) => t`aucune sur ces adresses : le bloc est routé vers ${mainIp(x)}, et votre serveur garde sa route par défaut via ${serverGateway(x)}`,
  forIp: (ip) => p`Pour ${ip}, la configuration devient :`,
  badSender: (b) => t`l'adresse de réseau ou de broadcast du bloc comme expéditeur (${code(`tell ${b.network}`)}, ${code(`tell ${b.broadcast}`)})`,
  reserved: {
    role: { network: "l'adresse de réseau du bloc", broadcast: "l'adresse de broadcast du bloc" },
    subject: (x, b) => `IP ${x.ip} (bloc ${b.cidr}) : adresse réservée utilisée`,
    summary: (x, b, role) =>
      p`Notre supervision a détecté un problème de configuration dans le bloc d'IP ${b.cidr} routé vers votre serveur${serverSuffix(x)} : votre serveur utilise ${x.ip}, ${role}, comme l'une de ses propres adresses. Ce bloc n'est pas découpé : sa première adresse (${b.network}) est son adresse de réseau et sa dernière (${b.broadcast}) son adresse de broadcast, et aucune des deux ne peut être attribuée à une machine. Cela arrive d'ordinaire quand toutes les adresses du bloc ont été configurées, avec un masque plus large que celui du bloc.`,
    remove: (x, b) => [
      p`Sur votre serveur, repérez ${x.ip} et retirez-la tout de suite :`,
      pre(removeNow(x.ip, x.L.prefixWord)),
      p`(en écrivant à la place de ${code(x.L.prefixWord)} et de ${code('eth0')} le préfixe et l'interface qu'affiche la première commande). Retirez-la ensuite de la configuration, pour qu'elle ne revienne pas au prochain redémarrage : les lignes de ${x.ip} dans ${FILES.interfaces} (ou ${FILES.interfacesD}), dans ${FILES.netplan}, ou avec NetworkManager :`,
      pre(removeNm(x.ip, x.L.prefixWord)),
      para(x.L.nmPrefixNote(x.ip, null)),
      p`Sous Windows Server, dans PowerShell en administrateur (la modification survit aux redémarrages) :`,
      pre(removeWin(x.ip)),
      p`Ne mettez aucune autre adresse à sa place. Les autres adresses du bloc que vous utilisez, de ${b.firstUsable} à ${b.lastUsable}, prennent le masque et le broadcast ci-dessus, sans passerelle.`,
    ],
    saw: (x, role) => p`Chaque ligne est émise par votre serveur (MAC ${x.job.mac}) avec ${x.ip}, ${role}, comme expéditeur.`,
    gone: (x, ipAddr) => p`Et côté configuration : ${ipAddr} ne doit plus afficher ${x.ip}.`,
    works: (x, b, role) =>
      p`Le routeur envoie tout le trafic destiné à ${b.cidr} vers votre serveur, par une route statique vers ${mainIp(x)} : même ${x.ip} répond donc. Mais elle ne peut être configurée qu'avec un masque plus large que celui du bloc : avec le masque du bloc, dont ses autres adresses ont besoin, ${x.ip} est ${role}, et aucune machine ne peut l'utiliser comme sa propre adresse.`,
  },
};
