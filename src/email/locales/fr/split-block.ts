/** Case 1b, wrong netmask on an address of a split block, in French. */
import { serverSuffix } from '../../templates/context.js';
import { p } from '../../templates/doc.js';
import type { SplitBlockText } from '../../templates/split-block.js';

export const splitBlock: SplitBlockText = {
  subject: (x, cidr) => `IP ${x.ip} (bloc découpé ${cidr}) : masque incorrect sur l'alias`,
  summary: (x, cidr) =>
    p`Notre supervision a détecté un problème de configuration sur ${x.ip}, une adresse du bloc d'IP ${cidr}, routée vers votre serveur${serverSuffix(x)}. Ce bloc est découpé : ses adresses s'utilisent une à une, chacune comme une IP failover, et suivent donc les règles d'une IP failover : masque 255.255.255.255 et pas de passerelle propre. Or ${x.ip} est configurée avec un masque plus large : votre serveur croit donc que les adresses voisines se trouvent sur son propre réseau, et ne cesse de les demander en ARP.`,
  fixIntro: (x, m) => p`Le bloc étant découpé, n'utilisez pas ici le masque du bloc (${m}) : configurez ${x.ip} comme une IP failover à part entière. Sur l'alias, indiquez :`,
};
