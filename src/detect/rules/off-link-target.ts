import { contains } from '../../common/cidr.js';
import { ROLE_BLOCK, ROLE_FAILOVER } from '../../inventory/inventory-index.js';
import { type FrameRule, isQuestion } from './rule.js';

/**
 * `who-has X tell F` from the host's NIC, F routed without virtual MAC, X not
 * the host's gateway: the alias has a netmask wider than /32 (or, for an unsplit
 * block, wider than the block), so the host believes X is on-link.
 */
export const offLinkTarget: FrameRule = (p, role) => {
  if (!isQuestion(p)) return false;
  if (role.kind === ROLE_FAILOVER) return role.virtualMac < 0 && p.senderMac === role.serverMac && p.targetIp !== role.gateway;
  const block = role.block;
  if (role.kind === ROLE_BLOCK && block !== undefined && block.server !== null) {
    return p.senderMac === block.server.mac && p.targetIp !== block.server.gateway && !contains(block.range, p.targetIp | 0); // int32: not boxed if contains is not inlined
  }
  return false;
};
