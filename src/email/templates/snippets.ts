/**
 * Configuration snippets filled with the customer's own values, for the four
 * families of systems our customers run: Debian/Ubuntu with ifupdown, Ubuntu
 * with netplan, RHEL-like systems with NetworkManager, and Windows Server
 * (PowerShell). `eth0` and `Ethernet` are the example interface (and
 * NetworkManager connection) names; the emails say so.
 *
 * NetworkManager keeps a list of addresses per connection: `+ipv4.addresses`
 * adds beside what is there, and `-ipv4.addresses` removes only an entry
 * written exactly as listed (prefix included), silently doing nothing
 * otherwise. So a fix that changes an address's prefix lists the entries,
 * removes the one of today's prefix, then adds the right one.
 */
import type { Block, Inline } from './doc.js';
import { code, para, pre } from './doc.js';
import type { Common } from './common.js';

export interface Snippets {
  debian: string[];
  netplan: string[];
  nmcli: string[];
  windows: string[];
}

export const IFACE = 'eth0';
/** Windows Server's usual name for the first network adapter (Get-NetAdapter lists them) */
export const WIN_IFACE = 'Ethernet';

/** The NetworkManager command that lists a connection's addresses as they must be written to remove one. */
export const nmList = `nmcli -g ipv4.addresses connection show ${IFACE}`;
/** PowerShell: the IPv4 addresses of the interface, with their prefix. */
export const winList = `Get-NetIPAddress -InterfaceAlias "${WIN_IFACE}" -AddressFamily IPv4 | Format-Table IPAddress, PrefixLength`;

/**
 * The prefix an address most likely has today, from the addresses the host asked for on its behalf
 * (the server's gateway left out: any host asks for it). The narrowest network holding the IP and
 * all of them is the least the wrong netmask covers: the IP's block's prefix if they all lie in it
 * (the block's netmask copied onto one of its addresses), else at most /24 (the main IP's netmask
 * copied onto the alias). Null when they say nothing (none, or spread wider than a /16): the email
 * then says how to read it.
 */
export function likelyPrefix(ip: string, targets: readonly string[], blockPrefix: number | null): number | null {
  if (targets.length === 0) return null;
  const n = toU32(ip);
  let covering = 32;
  for (const t of targets) {
    const diff = (n ^ toU32(t)) >>> 0;
    covering = Math.min(covering, diff === 0 ? 32 : Math.clz32(diff));
  }
  if (covering < 16) return null;
  if (blockPrefix !== null && covering >= blockPrefix) return blockPrefix;
  return Math.min(covering, 24);
}

const toU32 = (ip: string): number => ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);

/**
 * An address added to the host's interface, no gateway of its own: a failover alias (/32) or an
 * unsplit block's address. `today`: the prefix the address has now (NetworkManager needs it to
 * remove the entry), or the locale's placeholder for it.
 */
export function aliasSnippets(a: { ip: string; prefix: number; netmask: string; broadcast: string; keepMain: string; today: string }): Snippets {
  return {
    debian: [
      `auto ${IFACE}:0`,
      `iface ${IFACE}:0 inet static`,
      `    address ${a.ip}`,
      `    netmask ${a.netmask}`,
      `    broadcast ${a.broadcast}`,
    ],
    netplan: [
      'network:',
      '  version: 2',
      '  ethernets:',
      `    ${IFACE}:`,
      '      addresses:',
      `        # ${a.keepMain}`,
      `        - ${a.ip}/${a.prefix}`,
    ],
    nmcli: [
      nmList,
      `nmcli connection modify ${IFACE} -ipv4.addresses ${a.ip}/${a.today} +ipv4.addresses ${a.ip}/${a.prefix}`,
      `nmcli connection up ${IFACE}`,
    ],
    windows: [
      winList,
      `Remove-NetIPAddress -IPAddress ${a.ip} -Confirm:$false`,
      `New-NetIPAddress -InterfaceAlias "${WIN_IFACE}" -IPAddress ${a.ip} -PrefixLength ${a.prefix} -SkipAsSource $true`,
    ],
  };
}

/** A machine (a VM) whose only address is the /32 and whose gateway is outside it: reached on-link. */
export function onLinkSnippets(a: { ip: string; gateway: string }): Snippets {
  return {
    debian: [
      `auto ${IFACE}`,
      `iface ${IFACE} inet static`,
      `    address ${a.ip}`,
      '    netmask 255.255.255.255',
      `    pointopoint ${a.gateway}`,
      `    gateway ${a.gateway}`,
    ],
    netplan: [
      'network:',
      '  version: 2',
      '  ethernets:',
      `    ${IFACE}:`,
      '      addresses:',
      `        - ${a.ip}/32`,
      '      routes:',
      '        - to: 0.0.0.0/0',
      `          via: ${a.gateway}`,
      '          on-link: true',
    ],
    nmcli: [
      `nmcli connection modify ${IFACE} ipv4.method manual ipv4.addresses ${a.ip}/32 \\`,
      `    ipv4.gateway "" ipv4.routes "0.0.0.0/0 ${a.gateway} onlink=true"`,
      `nmcli connection up ${IFACE}`,
    ],
    windows: [
      winList,
      ...windowsClear,
      `New-NetIPAddress -InterfaceAlias "${WIN_IFACE}" -IPAddress ${a.ip} -PrefixLength 32`,
      `New-NetRoute -InterfaceAlias "${WIN_IFACE}" -DestinationPrefix ${a.gateway}/32 -NextHop 0.0.0.0`,
      `New-NetRoute -InterfaceAlias "${WIN_IFACE}" -DestinationPrefix 0.0.0.0/0 -NextHop ${a.gateway}`,
    ],
  };
}

/** PowerShell: a VM's interface emptied of its IPv4 configuration (DHCP off, addresses and default route gone) before the right one is set. */
const windowsClear = [
  `Set-NetIPInterface -InterfaceAlias "${WIN_IFACE}" -Dhcp Disabled`,
  `Remove-NetIPAddress -InterfaceAlias "${WIN_IFACE}" -AddressFamily IPv4 -Confirm:$false`,
  `Remove-NetRoute -InterfaceAlias "${WIN_IFACE}" -DestinationPrefix 0.0.0.0/0 -Confirm:$false -ErrorAction SilentlyContinue`,
];

/** The Hyper-V switch of case 3's Windows host, and the host's adapter on it (Hyper-V names it so). */
export const WIN_SWITCH = 'vmbr1';
export const WIN_SWITCH_IFACE = `vEthernet (${WIN_SWITCH})`;

/**
 * Case 3 on the host: the VM's bridge has no physical port, carries the host's
 * main IP as /32 (so the VM's ARP for its gateway M is answered), and the
 * failover IP is routed to it. Then IP forwarding on.
 *
 * Windows Server (Hyper-V) does the same: an internal switch is the bridge
 * without a physical port, its host adapter gets M/32 (SkipAsSource: the
 * physical NIC's M stays the source of the host's own connections), an on-link
 * route sends F to it, and forwarding is turned on where packets come in and
 * go out (Windows forwards per interface). No New-NetNat: F is routed, never
 * translated, exactly as on Linux.
 */
export function routedHostSnippets(a: { mainIp: string; ip: string }): { interfaces: string[]; forwarding: string[]; windows: string[] } {
  return {
    windows: [
      `New-VMSwitch -Name "${WIN_SWITCH}" -SwitchType Internal`,
      `Connect-VMNetworkAdapter -VMName VM -SwitchName "${WIN_SWITCH}"`,
      `New-NetIPAddress -InterfaceAlias "${WIN_SWITCH_IFACE}" -IPAddress ${a.mainIp} -PrefixLength 32 -SkipAsSource $true`,
      `New-NetRoute -InterfaceAlias "${WIN_SWITCH_IFACE}" -DestinationPrefix ${a.ip}/32 -NextHop 0.0.0.0`,
      `Set-NetIPInterface -InterfaceAlias "${WIN_SWITCH_IFACE}" -Forwarding Enabled`,
      `Set-NetIPInterface -InterfaceAlias "${WIN_IFACE}" -Forwarding Enabled`,
    ],
    interfaces: [
      'auto vmbr1',
      'iface vmbr1 inet static',
      `    address ${a.mainIp}`,
      '    netmask 255.255.255.255',
      '    bridge-ports none',
      '    bridge-stp off',
      '    bridge-fd 0',
      `    up ip route add ${a.ip}/32 dev vmbr1`,
    ],
    forwarding: ["echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-ip-forward.conf", 'sysctl --system'],
  };
}

/** A machine on a subnet with its gateway inside it (a portable block). */
export function subnetSnippets(a: { ip: string; prefix: number; netmask: string; gateway: string }): Snippets {
  return {
    debian: [`auto ${IFACE}`, `iface ${IFACE} inet static`, `    address ${a.ip}`, `    netmask ${a.netmask}`, `    gateway ${a.gateway}`],
    netplan: [
      'network:',
      '  version: 2',
      '  ethernets:',
      `    ${IFACE}:`,
      '      addresses:',
      `        - ${a.ip}/${a.prefix}`,
      '      routes:',
      '        - to: 0.0.0.0/0',
      `          via: ${a.gateway}`,
    ],
    nmcli: [
      `nmcli connection modify ${IFACE} ipv4.method manual ipv4.addresses ${a.ip}/${a.prefix} ipv4.gateway ${a.gateway} ipv4.routes ""`,
      `nmcli connection up ${IFACE}`,
    ],
    windows: [
      winList,
      ...windowsClear,
      `New-NetIPAddress -InterfaceAlias "${WIN_IFACE}" -IPAddress ${a.ip} -PrefixLength ${a.prefix} -DefaultGateway ${a.gateway}`,
    ],
  };
}

/** What a case may say under a snippet: why NetworkManager needs today's prefix, what SkipAsSource is for. */
export interface SnippetNotes {
  nm?: Inline[];
  windows?: Inline[];
}

/** The four snippets, each under the sentence that says where it goes, and the case's notes under them. */
export function distroBlocks(L: Common, s: Snippets, notes: SnippetNotes = {}): Block[] {
  return [
    { kind: 'p', parts: L.distro.debian },
    pre(s.debian),
    { kind: 'p', parts: L.distro.netplan },
    pre(s.netplan),
    { kind: 'p', parts: L.distro.nm },
    pre(s.nmcli),
    ...(notes.nm === undefined ? [] : [para(notes.nm)]),
    { kind: 'p', parts: L.distro.windows },
    pre(s.windows),
    ...(notes.windows === undefined ? [] : [para(notes.windows)]),
  ];
}

/** The self-check command. */
export const tcpdumpCommand = (ip: string): string => `tcpdump -nn -e -i ${IFACE} arp and host ${ip}`;

/** `code()` for an ARP line pattern in prose */
export const whoHas = (target: string, sender: string): ReturnType<typeof code> => code(`who-has ${target} tell ${sender}`);
