/** Case 1, wrong netmask on a failover alias, in English; and the parts 1a and 1b share. */
import type { AliasNetmaskText, AliasParts } from '../../templates/alias-netmask.js';
import { aliasConfig, aliasTable, firstRequest, inet, ipAddr } from '../../templates/alias-netmask.js';
import { mainIp, serverGateway, serverName, serverSuffix, targetList } from '../../templates/context.js';
import { p, t } from '../../templates/doc.js';

const parts: AliasParts = {
  probablyWorks: p`The IP itself probably works: this is not an outage. It does disturb the network, though, and from time to time your own traffic too (see the questions at the end). The fix is a change of one or two lines.`,
  values: (x, v) => aliasTable(x, v, t`none: the alias has no gateway of its own (your server keeps its default route via ${serverGateway(x)})`),
  config: aliasConfig,
  saw: (x, scope) =>
    x.targets.length === 0
      ? []
      : [
          scope === null
            ? p`Each line is your server (MAC ${x.job.mac}) asking, on behalf of ${x.ip}, who has ${targetList(x)}. With a /32 alias it would not ask: those addresses are not on its network, and the traffic for them goes to the gateway.`
            : p`Each line is your server (MAC ${x.job.mac}) asking, on behalf of ${x.ip}, who has ${targetList(x)}: addresses outside ${scope}. With the block's netmask it would not ask, and would send that traffic to its gateway.`,
        ],
  check: (x, v, scope) => ({
    where: `On ${serverName(x, 'your server')}`,
    good: [
      scope === null
        ? t`no line at all, or requests for your gateway ${serverGateway(x)} or for machines of your server's own network, each followed by a reply`
        : t`no line at all, or requests for your gateway ${serverGateway(x)} or for addresses inside ${scope}, each followed by a reply`,
    ],
    bad: [
      x.targets.length > 0
        ? t`requests from ${x.ip} for other addresses, answered or not, such as ${firstRequest(x)}`
        : t`requests from ${x.ip} for other addresses, answered or not`,
    ],
    extra: [p`And in the configuration: ${ipAddr} must list ${inet(x, v)}.`],
  }),
  works: (x, routed) => [
    p`The router sends all traffic for ${routed} to your server through a static route to ${mainIp(x)}, whatever netmask is set on your side. So the IP answers, and most connections succeed.`,
    p`The netmask comes into play when your server talks to an address inside the range that the wrong netmask covers: another failover IP, for example, yours or another customer's. Instead of handing those packets to its gateway, your server asks for the address by ARP, and the connection fails or stalls. Whether it happens depends on who talks to whom and on the ARP caches of the moment, which is why it looks random.`,
  ],
};

export const aliasNetmask: AliasNetmaskText = {
  parts,
  subject: (x) => `Failover IP ${x.ip}: wrong netmask on the alias`,
  summary: (x) => p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)}. It is set up as an alias without a virtual MAC, which is right, but with a netmask wider than 255.255.255.255: your server therefore believes that the neighbouring addresses are on its own network, and keeps asking for them by ARP.`,
  fixIntro: (x) => p`A failover IP is routed to your server's main IP, ${mainIp(x)}: it is a single address, not a network of its own. On the alias, set:`,
};
