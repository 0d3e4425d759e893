import type { DetectorConfig } from '../config/schema.js';
import { type Signal, SignalKind } from '../detect/signal.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import { aliasNetmask } from './case-1-alias-netmask.js';
import { blockNetmask } from './case-1a-block-netmask.js';
import { splitBlock } from './case-1b-split-block.js';
import { vmacGateway, vmacMissing } from './case-2-vmac.js';
import { vmNatGateway } from './case-3-vm-nat-gateway.js';
import { type CaseRule, type ClassifyContext, fillContext, verdict } from './classify-context.js';
import { duplicateIp, staleServerOf } from './duplicate-ip.js';
import { portableBlockUnusable } from './portable-block.js';
import type { CaseId, Verdict } from './verdict.js';

/** Tried in this order; the first case wins. A duplicate is checked before cases 2 and 3: a known server's MAC means the IP was left behind, not a VM. */
const CASES: readonly CaseRule[] = [
  aliasNetmask, splitBlock, blockNetmask, vmacGateway, duplicateIp, vmacMissing, vmNatGateway, portableBlockUnusable,
];

/**
 * Signal + inventory → case. `caseOf` runs for every signal and allocates
 * nothing; `verdict` builds the full verdict (customer, server, values) once,
 * when an incident opens.
 */
export class Classifier {
  private readonly c: ClassifyContext;

  constructor(private inv: InventoryIndex, private readonly cfg: Pick<DetectorConfig, 'spoof_macs'>) {
    this.c = { signal: null as unknown as Signal, inv, failover: undefined, block: undefined, portable: undefined, spoofMacs: cfg.spoof_macs };
  }

  setInventory(inv: InventoryIndex): void {
    this.inv = inv;
  }

  /**
   * The case a signal is evidence of, for the IP's product in the inventory;
   * null when the signal is already covered by another (ARP for a routed IP
   * from a customer's own IP is its off-link evidence) or is nobody's business.
   */
  caseOf(signal: Readonly<Signal>): CaseId | null {
    const c = fillContext(this.c, signal, this.inv);
    const k = signal.kind;
    // many MACs for one IP is spoofing or a broken bridge, not one customer's host or VM: the NOC's business
    if (signal.distinctMacs >= this.cfg.spoof_macs) return 'noise';
    if (k === SignalKind.ROUTED_IP_TARGET && (c.failover !== undefined || c.block !== undefined || c.portable !== undefined)) return null;
    for (let i = 0; i < CASES.length; i++) {
      const id = CASES[i](c);
      if (id !== null) return id;
    }
    if (k === SignalKind.EXCESSIVE_ARP || k === SignalKind.UNRESOLVED_ARP || k === SignalKind.ROUTED_IP_TARGET) return 'noise';
    // a flip-flop between the allowed MAC and itself, a mismatch from the right server: nothing wrong
    return null;
  }

  verdict(signal: Readonly<Signal>, caseId: CaseId): Verdict {
    const c = fillContext(this.c, signal, this.inv);
    return verdict(c, caseId, caseId === 'duplicate-ip' ? { staleServer: staleServerOf(c) } : {});
  }
}

/** One signal's verdict, or null: for tests and one-off use (the pipeline keeps a Classifier). */
export function classify(signal: Readonly<Signal>, inv: InventoryIndex, cfg: Pick<DetectorConfig, 'spoof_macs'>): Verdict | null {
  const classifier = new Classifier(inv, cfg);
  const id = classifier.caseOf(signal);
  return id === null ? null : classifier.verdict(signal, id);
}
