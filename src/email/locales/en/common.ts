/** English: the wording every case shares. */
import type { Common, Stamp } from '../../templates/common.js';
import { code, p, t } from '../../templates/doc.js';
import { DISTRO_CMD, type DurationUnits, exactly, groupDigits, pl, roughly, sameDay, TCPDUMP_FORMAT } from '../../templates/wording.js';

const UNITS: DurationUnits = { s: ['second', 'seconds'], m: ['minute', 'minutes'], h: ['hour', 'hours'] };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const day = (s: Stamp): string => `${s.d} ${MONTHS[s.mo - 1]} ${s.y}`;

export const common: Common = {
  language: 'English',
  typography: (s) => s,
  and: 'and',
  others: 'others',
  greeting: 'Hello,',
  duringMaintenance: p`This incident began during a maintenance window, while our warnings for you were paused. We held this email until the window ended; the problem is still there, so here it is.`,
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
  period: (a, b) => (sameDay(a, b) ? `From ${day(a)}, ${a.time} to ${b.time} UTC` : `From ${day(a)}, ${a.time} UTC to ${day(b)}, ${b.time} UTC`),
  duration: (s) => roughly(s, UNITS, 'about'),
  sawIntro: (period, duration, vlan, ip) => t`${period} (${duration}), our monitoring saw${vlan === null ? '' : ` on VLAN ${vlan}`}, for ${ip}:`,
  signal: (name, n, ip) => {
    const k = common.num(n);
    switch (name) {
      case 'off_link_target': return t`${k} ${pl(n, 'ARP request', 'ARP requests')} from ${ip} for addresses that are not on its network`;
      case 'unresolved_arp': return t`${k} ${pl(n, 'ARP request that got', 'ARP requests that got')} no answer`;
      case 'wrong_gateway': return t`${k} ${pl(n, 'ARP request', 'ARP requests')} for a gateway that is not the right one`;
      case 'mac_mismatch': return t`${k} ARP ${pl(n, 'frame', 'frames')} for ${ip} sent from a MAC address that is not assigned to it`;
      case 'flip_flop': return t`${k} ${pl(n, 'change', 'changes')} of the MAC address answering for ${ip}`;
      case 'unusable_address': return t`${k} ARP ${pl(n, 'frame', 'frames')} with a reserved address of the block as sender`;
      case 'routed_ip_target': return t`${k} ARP ${pl(n, 'request', 'requests')} for ${ip} itself, as if it were on the local network`;
      case 'excessive_arp': return t`${k} ARP ${pl(n, 'request', 'requests')} above the normal rate`;
      default: return t`${k} × ${code(name)}`;
    }
  },
  windowNote: (s) => t`We raise an alert when such counts pass a threshold within a sliding window of ${s} seconds.`,
  persistenceNote: (n, period, horizon, w) => t`These counts stay under the threshold of our ${w}-second window, but we saw the same problem in ${n} separate periods of ${exactly(period, UNITS)} within ${exactly(horizon, UNITS)} (the counts above start with the last of them): we also raise an alert for a problem that keeps coming back, however quietly.`,
  samplesIntro: (one) => (one ? t`This frame, as tcpdump prints it (${TCPDUMP_FORMAT}, time in UTC):` : t`The first of these frames, as tcpdump prints them (${TCPDUMP_FORMAT}, times in UTC):`),
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
  reference: (ref, id, name, cid) => [`Reference: ${ref}`, `Incident: ${id}`, `Customer: ${name} (${cid})`],
  distro: {
    debian: t`Debian or Ubuntu with ifupdown, in ${code('/etc/network/interfaces')}:`,
    netplan: t`Ubuntu with netplan, in the file of ${code('/etc/netplan/')} that configures eth0, then ${DISTRO_CMD.netplan}:`,
    nm: t`RHEL, Rocky, AlmaLinux or Fedora (NetworkManager), eth0 being the name of the connection (${DISTRO_CMD.nm}):`,
    windows: t`Windows Server, on the server or in a VM, in PowerShell as administrator, ${code('Ethernet')} being the name of the interface (${code('Get-NetAdapter')}):`,
  },
  prefixWord: 'PREFIX',
  nmPrefixNote: (ip, guess) =>
    guess === null
      ? t`NetworkManager keeps a list of addresses per connection, and removes an entry only when it is written exactly as listed: the first command shows the list. In the second, write in place of ${code('PREFIX')} the prefix that the list shows for ${ip} (the number after the slash).`
      : t`NetworkManager keeps a list of addresses per connection, and removes an entry only when it is written exactly as listed: the first command shows the list. The second removes ${ip} with the prefix it has today, /${String(guess)} judging by the addresses your server asks for, and adds the right entry. If the list shows ${ip} with another prefix, use that one instead of /${String(guess)}.`,
  windowsConsoleNote: t`Run them from the machine's console (in your hypervisor for a VM): the commands that remove the old address and route cut the sessions that use them.`,
  windowsAliasNote: (main, ip) => t`${code('Remove-NetIPAddress')} removes ${ip} whatever its prefix. ${code('-SkipAsSource $true')} keeps ${main ?? "the server's main IP"} as the source address of your server's own connections: an additional IP (a failover IP or an address of a block) must never become it.`,
  keepMain: "keep the server's main address as it is",
  ifaceNote: (ip) => t`${code('eth0')} is an example: use the name of your interface. Replace the lines that configure ${ip} today rather than adding a second copy.`,
  unknown: { main: "your server's main IP", gateway: "your server's gateway", server: 'the other server', vmac: 'the virtual MAC of this IP (see your control panel)', mac: "your server's MAC" },
  onLinkNote: (ip) => t`The gateway is outside ${ip}/32, so the system must be told that it is reachable directly on the interface: that is what ${code('pointopoint')} (ifupdown), ${code('on-link')} (netplan), ${code('onlink')} (NetworkManager) and the route to the gateway with ${code('-NextHop 0.0.0.0')} (Windows) do below.`,
  ifaceOnly: t`${code('eth0')} is an example: use the name of your interface.`,
  wholeBlock: t`To watch the whole block:`,
  applySafely: (main, ip) => t`Apply the change from the console, or over a session on ${main ?? 'the main IP'}, rather than over ${ip} itself.`,
  group: {
    subject: (n, w) => `${n} IPs${w === null ? '' : w.kind === 'block' ? ` of ${w.name}` : ` on ${w.name}`} —`,
    intro: (n, w, ips, apart, first) => t`This email is about ${String(n)} IPs${w === null ? '' : w.kind === 'block' ? ` in the block ${w.name}` : ` on your server ${w.name}`} that have the same problem: ${ips}. Their incidents began within ${apart} of each other. The instructions below are written for ${first}, the first of them: make the same change for ${n === 2 ? 'the other one' : 'each of the others'}, using its own address. What we observed is shown for each IP in turn.`,
  },
};
