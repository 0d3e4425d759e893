import { ipToString, macToString } from '../decode/addr.js';
import type { InventoryIndex } from './inventory-index.js';
import type { Server } from './model.js';
import { printable } from '../common/printable.js';

/** What the inventory says of one IP, in words, for `explain` and for the NOC. */
export function describeIp(inv: InventoryIndex, ip: number): string[] {
  const out: string[] = [];
  const server = (s: Server, role: string): void => {
    out.push(`  ${role}: ${printable(s.id)}, main IP ${ipToString(s.ip)}, NIC MAC ${macToString(s.mac)}, gateway ${ipToString(s.gateway)}${s.vlan === null ? '' : `, VLAN ${s.vlan}`}`);
    out.push(`  customer: ${printable(s.customer.id)} (${printable(s.customer.name)}, ${printable(s.customer.email)}, locale ${s.customer.locale})${s.customer.muted ? ', muted' : ''}`);
  };
  if (inv.isVrack(ip)) return ['  vRack address: never warned (vRack has its own guides)'];
  const router = inv.routers.get(ip);
  if (router) return [`  a router of the provider (MAC ${macToString(router.mac)}): its own ARP is never an incident`];
  const fo = inv.failover(ip);
  if (fo) {
    const from = fo.block ? `member of the split block ${fo.block.cidr}` : 'failover IP';
    out.push(`  product: ${from}, ${fo.virtualMac === null ? 'no virtual MAC' : `virtual MAC ${macToString(fo.virtualMac)}`}${fo.muted ? ', muted' : ''}`);
    server(fo.server, 'routed to server');
    if (fo.virtualMac === null) {
      out.push(`  allowed sender MAC: ${macToString(fo.server.mac)} (the server's NIC); expected config: netmask 255.255.255.255, broadcast ${ipToString(ip)}, no gateway of its own`);
    } else {
      out.push(`  allowed sender MAC: ${macToString(fo.virtualMac)} (the virtual MAC); expected gateway: ${ipToString(fo.server.gateway)} (the host server's)`);
    }
    return out;
  }
  const block = inv.unsplitBlock(ip);
  if (block) {
    const r = block.range;
    const role = ip === r.network ? ' (its network address: unusable)' : ip === r.broadcast ? ' (its broadcast address: unusable)' : '';
    out.push(`  product: RIPE block ${block.cidr}, not split${role}; netmask ${ipToString(r.mask)}, broadcast ${ipToString(r.broadcast)}`);
    if (block.server) {
      server(block.server, 'routed to server');
      out.push(`  allowed sender MAC: ${macToString(block.server.mac)} (the server's NIC)`);
    }
    return out;
  }
  const routed = inv.routedBlock(ip);
  if (routed) out.push(`  inside the split block ${routed.cidr}, but not one of its members in the inventory`);
  const pb = inv.portableBlock(ip);
  if (pb) {
    const r = pb.range;
    const role = ip === r.network ? 'network (unusable)' : ip === pb.gateway ? 'gateway (unusable)' : ip === r.broadcast ? 'broadcast (unusable)' : 'usable';
    out.push(`  product: portable block ${pb.cidr} of ${printable(pb.customer.id)} (${printable(pb.customer.name)}), address ${role}`);
    out.push(`  usable ${ipToString(pb.gateway + 1)}–${ipToString(r.broadcast - 1)}, gateway ${ipToString(pb.gateway)}`);
    return out;
  }
  const main = inv.serversByIp.get(ip);
  if (main) {
    server(main, 'main IP of server');
    return out;
  }
  if (out.length === 0) out.push('  not in the inventory: only excessive or unresolved ARP can make it an incident, for the NOC');
  return out;
}
