import { contains } from '../../common/cidr.js';
import { ROLE_FAILOVER, ROLE_PORTABLE } from '../../inventory/inventory-index.js';
import { type FrameRule, isQuestion } from './rule.js';

/**
 * A VM asking for the wrong gateway:
 * - F with a virtual MAC, asking from that MAC for anything but the host server's gateway G;
 * - a usable portable-block address asking for a target outside its block (its gateway is the block's second address).
 */
export const wrongGateway: FrameRule = (p, role) => {
  if (!isQuestion(p)) return false;
  if (role.kind === ROLE_FAILOVER) return role.virtualMac >= 0 && p.senderMac === role.virtualMac && p.targetIp !== role.gateway;
  const pb = role.portable;
  if (role.kind === ROLE_PORTABLE && pb !== undefined) return !contains(pb.range, p.targetIp | 0); // int32: not boxed if contains is not inlined
  return false;
};
