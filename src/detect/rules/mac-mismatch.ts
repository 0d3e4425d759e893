import { ROLE_BLOCK, ROLE_FAILOVER } from '../../inventory/inventory-index.js';
import type { FrameRule } from './rule.js';

/**
 * F seen from a MAC the inventory does not allow: the virtual MAC where one is
 * assigned, the host server's NIC MAC otherwise (for an unsplit block: its server's NIC).
 */
export const macMismatch: FrameRule = (p, role) => {
  if (role.kind === ROLE_FAILOVER) return p.senderMac !== (role.virtualMac >= 0 ? role.virtualMac : role.serverMac);
  const block = role.block;
  if (role.kind === ROLE_BLOCK && block !== undefined && block.server !== null) return p.senderMac !== block.server.mac;
  return false;
};
