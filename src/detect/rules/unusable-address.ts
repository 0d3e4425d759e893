import type { FrameRule } from './rule.js';

/**
 * An address that must not be configured on a host, used as sender: a portable
 * block's network, gateway or broadcast; an unsplit block's network or broadcast.
 */
export const unusableAddress: FrameRule = (p, role) => {
  const ip = p.senderIp;
  const pb = role.portable;
  if (pb !== undefined) return ip === pb.range.network || ip === pb.gateway || ip === pb.range.broadcast;
  const block = role.block;
  if (block !== undefined) return block.range.prefix < 31 && (ip === block.range.network || ip === block.range.broadcast);
  return false;
};
