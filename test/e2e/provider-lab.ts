/**
 * The provider of the live-hosts e2e tests (detector-cases, quiet-misconfigurations): its router, the
 * servers they share, the inventory text and the router's setup, written once so that the two labs
 * cannot drift apart in what they call srv-a or how the router answers.
 */
import type { Netns } from './netns.js';

/** The VLAN's router: it answers ARP for its own address only (no proxy ARP), and routes the failover IPs. */
export const ROUTER = { ip: '203.0.113.254', mac: '00:00:5e:00:01:01' } as const;
/** every server's real gateway G */
export const G = ROUTER.ip;

export interface Server { id: string; customer: string; ip: string; mac: string }
export const SRV_A: Server = { id: 'srv-a', customer: 'c-1', ip: '203.0.113.10', mac: '0c:c4:7a:00:00:0a' };
export const SRV_B: Server = { id: 'srv-b', customer: 'c-2', ip: '203.0.113.11', mac: '0c:c4:7a:00:00:0b' };
/** a hypervisor whose VMs alone are on the wire: the server has no namespace */
export const SRV_C: Server = { id: 'srv-c', customer: 'c-3', ip: '203.0.113.20', mac: '0c:c4:7a:00:00:14' };

/** the customers' addresses; a lab's inventory lists those its servers belong to */
const CUSTOMER_EMAILS: Readonly<Record<string, string>> = {
  'c-1': 'ops@example.net', 'c-2': 'noc@example.com', 'c-3': 'admin@example.org', 'c-4': 'tech@example.com',
};

/** What the span port's capture keeps: `arpwarden capture`'s default filter on an Ethernet device, given to tcpdump as is. */
export const SPAN_FILTER = 'arp or (vlan and (arp or (vlan and arp)))';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface LabInventory {
  /** the test file that writes it, named in its first line */
  writer: string;
  servers: readonly Server[];
  /** YAML flow mappings of `failover_ips:`, e.g. `{ ip: 198.51.100.7, server: srv-a }` */
  failovers: readonly string[];
  /** YAML flow mappings of `blocks:` */
  blocks?: readonly string[];
}

/** The inventory of a lab: the router, the customers its servers belong to, the servers (gateway G), their failovers and blocks. */
export function labInventory(o: LabInventory): string {
  const customers = new Set(o.servers.map((s) => s.customer));
  const lines = [
    `# written by ${o.writer}: the hosts of its provider VLAN`,
    'routers:',
    `  - { ip: ${ROUTER.ip}, mac: "${ROUTER.mac}" }`,
    'customers:',
    ...Object.entries(CUSTOMER_EMAILS).filter(([id]) => customers.has(id)).map(([id, email]) => `  - { id: ${id}, email: ${email} }`),
    'servers:',
    ...o.servers.map((s) => `  - { id: ${s.id}, customer: ${s.customer}, ip: ${s.ip}, mac: "${s.mac}", gateway: ${G} }`),
    'failover_ips:',
    ...o.failovers.map((f) => `  - ${f}`),
  ];
  if (o.blocks !== undefined && o.blocks.length > 0) lines.push('blocks:', ...o.blocks.map((b) => `  - ${b}`));
  return `${lines.join('\n')}\n`;
}

/**
 * The router on its `eth0`: its address, no proxy ARP and no reverse-path filter (it forwards what the
 * servers send from their failovers), each routed destination via its server's main IP, and each failover
 * with a virtual MAC straight to that MAC (a permanent neighbour, so the router itself never asks for it).
 */
export async function setUpRouter(router: Netns, routed: readonly (readonly [dest: string, via: string])[],
  toVirtualMac: readonly (readonly [ip: string, mac: string])[]): Promise<void> {
  await router.addAddress('eth0', `${ROUTER.ip}/24`);
  await router.sysctl('net.ipv4.conf.all.rp_filter', 0);
  await router.sysctl('net.ipv4.conf.eth0.rp_filter', 0);
  await router.sysctl('net.ipv4.conf.eth0.proxy_arp', 0);
  for (const [dest, via] of routed) await router.addRoute(dest, via);
  for (const [ip, mac] of toVirtualMac) {
    await router.addDeviceRoute(`${ip}/32`, 'eth0');
    await router.ip('neigh', 'replace', ip, 'lladdr', mac, 'dev', 'eth0', 'nud', 'permanent');
  }
}
