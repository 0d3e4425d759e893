import { ArpPacket } from '../../src/decode/arp-packet.js';
import { BROADCAST_MAC, parseIp, parseMac } from '../../src/decode/addr.js';

export interface PacketSpec {
  /** seconds from 2026-11-02T09:00:00Z */
  t: number;
  op?: 'request' | 'reply';
  from: string;
  mac: string;
  target: string;
  targetMac?: string;
  vlan?: number;
}

export const T0 = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;

/** An ArpPacket as the decoder would fill it, for detector and classifier tests. */
export function arp(s: PacketSpec): ArpPacket {
  const p = new ArpPacket();
  p.tsMicros = T0 + Math.round(s.t * 1e6);
  p.op = s.op === 'reply' ? 2 : 1;
  p.senderIp = parseIp(s.from)!;
  p.senderMac = parseMac(s.mac)!;
  p.targetIp = parseIp(s.target)!;
  p.targetMac = s.targetMac ? parseMac(s.targetMac)! : 0;
  p.ethSrc = p.senderMac;
  p.ethDst = p.op === 1 ? BROADCAST_MAC : p.targetMac;
  p.wireLen = s.vlan === undefined ? 60 : 64;
  p.capLen = p.wireLen;
  p.linkType = 1;
  if (s.vlan !== undefined) {
    p.vlanDepth = 1;
    p.outerTpid = 0x8100;
    p.outerTci = s.vlan;
  }
  p.gratuitous = p.senderIp === p.targetIp && p.senderIp !== 0;
  p.probe = p.op === 1 && p.senderIp === 0;
  return p;
}

/** The inventory of the unit tests: one server of each kind, small enough to read in the test. */
export const TEST_INVENTORY = `
routers:
  - { ip: 203.0.113.254, mac: "00:00:5e:00:01:01" }
customers:
  - { id: c-1, email: ops@example.net, name: Example SARL, locale: fr }
  - { id: c-2, email: noc@example.com }
servers:
  - { id: srv-a, customer: c-1, ip: 203.0.113.10, mac: "0c:c4:7a:00:00:0a", gateway: 203.0.113.254, vlan: 100 }
  - { id: srv-b, customer: c-2, ip: 203.0.113.11, mac: 0C-C4-7A-00-00-0B, gateway: 203.0.113.254 }
failover_ips:
  - { ip: 198.51.100.7, server: srv-a }
  - { ip: 198.51.100.8, server: srv-a, virtual_mac: "02:00:00:aa:bb:cc" }
  - { ip: 198.51.100.9, server: srv-b }
blocks:
  - { cidr: 192.0.2.0/28, server: srv-a, split: false }
  - { cidr: 192.0.2.16/28, split: true, members: [ { ip: 192.0.2.18, server: srv-b } ] }
portable_blocks:
  - { cidr: 198.51.100.64/29, customer: c-2, vlan: 100 }
vrack:
  - 100.64.0.0/10
`;
