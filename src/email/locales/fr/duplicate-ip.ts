/** Duplicate: the IP still configured on a server it is no longer routed to, in French. */
import { serverSuffix } from '../../templates/context.js';
import { code, kv, p, para, pre, t } from '../../templates/doc.js';
import type { DuplicateIpText } from '../../templates/duplicate-ip.js';
import { FILES, full, grep, removeNm, removeNow, removeWin, short } from '../../templates/duplicate-ip.js';

export const duplicateIp: DuplicateIpText = (x, { stale, routed, claimers }) => ({
  subject: `IP failover ${x.ip} : toujours configurée sur le serveur ${stale.id}`,
  summary: [
    p`Notre supervision a détecté un problème de configuration sur l'IP failover ${x.ip}. Elle est routée vers votre serveur${serverSuffix(x)}, mais le serveur ${short(stale)} l'utilise encore : nous voyons ${x.ip} tour à tour depuis les adresses MAC des deux serveurs. C'est en général le cas quand une IP a été déplacée d'un serveur à l'autre et que l'ancienne configuration est restée en place.`,
    p`Ces trames perturbent le VLAN et envoient une partie du trafic de l'IP vers le mauvais serveur (voir les questions en fin de message). La correction prend une minute, sur ${stale.id} seulement.`,
  ],
  fix: [
    p`Retirez ${x.ip} de ${stale.id}, vers lequel elle n'est plus routée :`,
    kv(['À retirer de', [full(stale)]], ['À garder sur', [full(routed)]]),
    p`Sur ${stale.id}, repérez l'adresse et retirez-la tout de suite :`,
    pre(removeNow(x.ip, x.L.prefixWord)),
    p`(en écrivant à la place de ${code('PREFIXE')} et de ${code('eth0')} le préfixe et l'interface qu'affiche la première commande). Retirez-la ensuite de la configuration, pour qu'elle ne revienne pas au prochain redémarrage : les lignes de ${x.ip} dans ${FILES.interfaces} (ou ${FILES.interfacesD}), dans ${FILES.netplan}, ou avec NetworkManager :`,
    pre(removeNm(x.ip, x.L.prefixWord)),
    para(x.L.nmPrefixNote(x.ip, null)),
    p`Sous Windows Server, dans PowerShell en administrateur (la modification survit aux redémarrages) :`,
    pre(removeWin(x.ip)),
    p`Si une machine virtuelle de ${stale.id} utilise ${x.ip}, changez l'adresse de cette VM, ou arrêtez-la.`,
    p`Si c'est au contraire ${stale.id} qui doit garder cette IP, faites l'inverse : routez-la de nouveau vers ${stale.id} depuis votre espace client, et retirez-la de ${routed.id}.`,
  ],
  saw: claimers.length > 0 ? [p`Les lignes alternent entre ${claimers} : les deux serveurs revendiquent ${x.ip}.`] : [],
  check: {
    where: `Sur ${stale.id}, et pour comparer, sur ${routed.id}`,
    good: [t`sur ${stale.id} : plus aucune trame pour ${x.ip}`, ...(routed.mac === null ? [] : [t`sur ${routed.id} : ${x.ip} uniquement avec sa MAC, ${routed.mac}`])],
    bad: [stale.mac === null ? t`${x.ip} venant de ${stale.id}` : t`${x.ip} avec la MAC de ${stale.id}, ${stale.mac} : une requête qui en vient, ou ${code(`${x.ip} is-at ${stale.mac}`)}`],
    extra: [p`Et sur ${stale.id} : ${code(grep(x.ip))} ne doit rien afficher.`],
  },
  works: [
    p`Le routeur envoie le trafic destiné à ${x.ip} vers ${routed.id} : depuis Internet, l'IP atteint donc le bon serveur. Mais ${stale.id} continue de la revendiquer sur le réseau local : les machines du VLAN qui la cherchent peuvent recevoir la réponse de l'un ou l'autre serveur, et les deux réponses s'écrasent mutuellement dans leurs tables ARP. Une partie des connexions aboutit alors sur l'ancien serveur, apparemment au hasard.`,
  ],
});
