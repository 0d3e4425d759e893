import type { DetectorConfig } from '../config/schema.js';
import { type Signal, SignalKind } from '../detect/signal.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import { aliasNetmask } from './case-1-alias-netmask.js';
import { blockNetmask } from './case-1a-block-netmask.js';
import { splitBlock } from './case-1b-split-block.js';
import { vmacGateway, vmacMissing } from './case-2-vmac.js';
import { vmNatGateway } from './case-3-vm-nat-gateway.js';
import type { CaseRule, ClassifyContext } from './classify-context.js';
import { duplicateIp } from './duplicate-ip.js';
import { noise } from './noise.js';
import { portableBlockUnusable } from './portable-block.js';
import type { Verdict } from './verdict.js';

/** Tried in this order; the first verdict wins. A duplicate is checked before cases 2 and 3: a known server's MAC means the IP was left behind, not a VM. */
const CASES: readonly CaseRule[] = [
  aliasNetmask, splitBlock, blockNetmask, vmacGateway, duplicateIp, vmacMissing, vmNatGateway, portableBlockUnusable,
];

/**
 * The case a signal is evidence of, for the IP's product in the inventory; null
 * when the signal is already covered by another (ARP for a routed IP from a
 * customer's failover is its off-link evidence) or is nobody's business.
 */
export function classify(signal: Readonly<Signal>, inv: InventoryIndex, cfg: Pick<DetectorConfig, 'spoof_macs'>): Verdict | null {
  const failover = inv.failover(signal.ip);
  const block = failover === undefined ? inv.unsplitBlock(signal.ip) : undefined;
  const portable = failover === undefined && block === undefined ? inv.portableBlock(signal.ip) : undefined;
  const c: ClassifyContext = { signal, inv, failover, block, portable, spoofMacs: cfg.spoof_macs };
  const k = signal.kind;
  // many MACs for one IP is spoofing or a broken bridge, not one customer's host or VM: the NOC's business
  if (signal.distinctMacs >= cfg.spoof_macs) return noise(c);
  if (k === SignalKind.ROUTED_IP_TARGET && (failover !== undefined || block !== undefined || portable !== undefined)) return null;
  for (const rule of CASES) {
    const v = rule(c);
    if (v !== null) return v;
  }
  if (k === SignalKind.EXCESSIVE_ARP || k === SignalKind.UNRESOLVED_ARP || k === SignalKind.ROUTED_IP_TARGET) return noise(c);
  // a flip-flop between the allowed MAC and itself, a mismatch from the right server: nothing wrong
  return null;
}
