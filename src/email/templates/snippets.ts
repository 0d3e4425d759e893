/**
 * Configuration snippets filled with the customer's own values, for the three
 * families of systems our customers run: Debian/Ubuntu with ifupdown, Ubuntu
 * with netplan, and RHEL-like systems with NetworkManager. `eth0` is the
 * example interface (and NetworkManager connection) name; the emails say so.
 */
import type { Block } from './doc.js';
import { code, pre } from './doc.js';
import type { Common } from './common.js';

export interface Snippets {
  debian: string[];
  netplan: string[];
  nmcli: string[];
}

export const IFACE = 'eth0';

/** An address added to the host's interface, no gateway of its own: a failover alias (/32) or an unsplit block's address. */
export function aliasSnippets(a: { ip: string; prefix: number; netmask: string; broadcast: string; keepMain: string }): Snippets {
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
    nmcli: [`nmcli connection modify ${IFACE} +ipv4.addresses ${a.ip}/${a.prefix}`, `nmcli connection up ${IFACE}`],
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
  };
}

/**
 * Case 3 on the host: the VM's bridge has no physical port, carries the host's
 * main IP as /32 (so the VM's ARP for its gateway M is answered), and the
 * failover IP is routed to it. Then IP forwarding on.
 */
export function routedHostSnippets(a: { mainIp: string; ip: string }): { interfaces: string[]; forwarding: string[] } {
  return {
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
  };
}

/** The three snippets, each under the sentence that says where it goes. */
export function distroBlocks(L: Common, s: Snippets): Block[] {
  return [
    { kind: 'p', parts: L.distro.debian },
    pre(s.debian),
    { kind: 'p', parts: L.distro.netplan },
    pre(s.netplan),
    { kind: 'p', parts: L.distro.nm },
    pre(s.nmcli),
  ];
}

/** The self-check command. */
export const tcpdumpCommand = (ip: string): string => `tcpdump -nn -e -i ${IFACE} arp and host ${ip}`;

/** `code()` for an ARP line pattern in prose */
export const whoHas = (target: string, sender: string): ReturnType<typeof code> => code(`who-has ${target} tell ${sender}`);
