/** Case 1a, wrong netmask for an unsplit block, in French. */
import type { BlockNetmaskText } from '../../templates/block-netmask.js';
import { mainIp, serverGateway, serverSuffix } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';

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
};
