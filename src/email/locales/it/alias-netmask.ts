/** Case 1, wrong netmask on a failover alias, in Italian; and the parts 1a and 1b share. */
import type { AliasNetmaskText, AliasParts } from '../../templates/alias-netmask.js';
import { aliasConfig, aliasTable, firstRequest, inet, ipAddr } from '../../templates/alias-netmask.js';
import { mainIp, serverGateway, serverName, serverSuffix, targetList } from '../../templates/context.js';
import { p, t } from '../../templates/doc.js';

const parts: AliasParts = {
  probablyWorks: p`L'IP in sé probabilmente funziona: non si tratta di un disservizio. Questa configurazione però disturba la rete e, di tanto in tanto, anche il vostro traffico (si vedano le domande in fondo). La correzione è questione di una o due righe.`,
  values: (x, v) => aliasTable(x, v, t`nessuno: l'alias non ha un gateway proprio (il server mantiene la sua route di default via ${serverGateway(x)})`),
  config: aliasConfig,
  saw: (x, scope) =>
    x.targets.length === 0
      ? []
      : [
          scope === null
            ? p`Ogni riga mostra il vostro server (MAC ${x.job.mac}) che chiede, per conto di ${x.ip}, chi ha ${targetList(x)}. Con un alias /32 non lo chiederebbe: quegli indirizzi non sono sulla sua rete, e il traffico verso di loro passa dal gateway.`
            : p`Ogni riga mostra il vostro server (MAC ${x.job.mac}) che chiede, per conto di ${x.ip}, chi ha ${targetList(x)}: indirizzi fuori da ${scope}. Con la netmask del blocco non lo chiederebbe, e affiderebbe quel traffico al gateway.`,
        ],
  check: (x, v, scope) => ({
    where: `Su ${serverName(x, 'il vostro server')}`,
    good: [
      scope === null
        ? t`nessuna riga, oppure richieste per il vostro gateway ${serverGateway(x)} o per macchine della rete del server, ciascuna seguita da una risposta`
        : t`nessuna riga, oppure richieste per il vostro gateway ${serverGateway(x)} o per indirizzi di ${scope}, ciascuna seguita da una risposta`,
    ],
    bad: [
      x.targets.length > 0
        ? t`richieste da ${x.ip} per altri indirizzi, con o senza risposta, come ${firstRequest(x)}`
        : t`richieste da ${x.ip} per altri indirizzi, con o senza risposta`,
    ],
    extra: [p`E nella configurazione: ${ipAddr} deve mostrare ${inet(x, v)}.`],
  }),
  works: (x, routed) => [
    p`Il router invia tutto il traffico per ${routed} al vostro server tramite una route statica verso ${mainIp(x)}, qualunque sia la netmask impostata da voi. L'IP quindi risponde, e la maggior parte delle connessioni va a buon fine.`,
    p`La netmask entra in gioco quando il server comunica con un indirizzo compreso nell'intervallo coperto dalla netmask sbagliata: un altro IP failover, per esempio, vostro o di un altro cliente. Invece di affidare quei pacchetti al gateway, il server cerca l'indirizzo via ARP, e la connessione fallisce o si blocca. Dipende da chi parla con chi e dallo stato delle cache ARP del momento: per questo sembra casuale.`,
  ],
};

export const aliasNetmask: AliasNetmaskText = {
  parts,
  subject: (x) => `IP failover ${x.ip}: netmask errata sull'alias`,
  summary: (x) => p`Il nostro monitoraggio ha rilevato un problema di configurazione sull'IP failover ${x.ip}, instradato verso il vostro server${serverSuffix(x)}. È configurato come alias senza MAC virtuale, e questo è corretto, ma con una netmask più ampia di 255.255.255.255: il server crede quindi che gli indirizzi vicini si trovino sulla sua stessa rete, e continua a cercarli via ARP.`,
  fixIntro: (x) => p`Un IP failover è instradato verso l'IP principale del vostro server, ${mainIp(x)}: è un indirizzo singolo, non una rete a sé. Sull'alias impostate:`,
};
