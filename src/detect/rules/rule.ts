import type { ArpPacket } from '../../decode/arp-packet.js';
import type { InventoryIndex } from '../../inventory/inventory-index.js';
import type { SenderRole } from '../sender-role.js';

/** A per-frame rule: does this frame count as evidence for its signal? Pure; no thresholds (the detector applies those). */
export type FrameRule = (p: Readonly<ArpPacket>, role: Readonly<SenderRole>, inv: InventoryIndex) => boolean;

/** A request that asks for an address (not an announcement, not a probe). */
export function isQuestion(p: Readonly<ArpPacket>): boolean {
  return p.op === 1 && !p.gratuitous && !p.probe;
}
