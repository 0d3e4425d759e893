import type { FrameRule } from './rule.js';

/**
 * F seen from a MAC the inventory does not allow: the virtual MAC where one is
 * assigned, the host server's NIC MAC otherwise (for an unsplit block: its server's NIC).
 */
export const macMismatch: FrameRule = (p, role) => {
  const fo = role.failover;
  if (fo !== undefined) return p.senderMac !== (fo.virtualMac ?? fo.server.mac);
  const block = role.block;
  if (block !== undefined && block.server !== null) return p.senderMac !== block.server.mac;
  return false;
};
