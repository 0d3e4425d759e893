import type { DetectorSettings } from '../detect/detector-settings.js';
import { type Signal, SignalKind } from '../detect/signal.js';
import { type InventoryIndex, isRoutedRole } from '../inventory/inventory-index.js';
import { verdict } from './build-verdict.js';
import { type CaseId, CASES } from './cases.js';
import { type ClassifyContext, fillContext } from './classify-context.js';
import { duplicateExtra } from './duplicate-ip.js';
import type { Verdict } from './verdict.js';

/** What a verdict is rebuilt from when the inventory changes under an open incident. */
export interface VerdictKey {
  caseId: CaseId;
  ip: number;
  /** the MAC the evidence came from, and another MAC it was seen from (a duplicate's stale server), 0 if none */
  mac: number;
  otherMac: number;
}

/**
 * Signal + inventory → case. `caseOf` runs for every signal and allocates
 * nothing; `verdict` builds the full verdict (customer, server, values) once,
 * when an incident opens, and `reverdict` again when the inventory is reloaded.
 */
export class Classifier {
  private readonly c: ClassifyContext;

  constructor(private inv: InventoryIndex, private readonly cfg: Pick<DetectorSettings, 'spoof_macs'>) {
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
    // many MACs for one IP is spoofing or a broken bridge, not one customer's host or VM: the NOC's business
    if (signal.distinctMacs >= this.cfg.spoof_macs) return 'noise';
    if (signal.kind === SignalKind.ROUTED_IP_TARGET && isRoutedRole(c)) return null;
    for (let i = 0; i < CASES.length; i++) if (CASES[i].decide(c)) return CASES[i].id;
    return null;
  }

  verdict(signal: Readonly<Signal>, caseId: CaseId): Verdict {
    const c = fillContext(this.c, signal, this.inv);
    return verdict(c, caseId, caseId === 'duplicate-ip' ? duplicateExtra(c) : {});
  }

  /** The verdict of an open incident by the current inventory: whose it is and whether it may be mailed follow a reload. */
  reverdict(k: Readonly<VerdictKey>): Verdict {
    const s: Signal = {
      kind: SignalKind.MAC_MISMATCH, ip: k.ip, mac: k.mac, previousMac: k.otherMac, distinctMacs: 0, vlan: -1, tsMicros: 0, count: 0, threshold: 0, periods: 0,
      packet: null as unknown as Signal['packet'],
    };
    return this.verdict(s, k.caseId);
  }
}

/** One signal's verdict, or null: for tests and one-off use (the pipeline keeps a Classifier). */
export function classify(signal: Readonly<Signal>, inv: InventoryIndex, cfg: Pick<DetectorSettings, 'spoof_macs'>): Verdict | null {
  const classifier = new Classifier(inv, cfg);
  const id = classifier.caseOf(signal);
  return id === null ? null : classifier.verdict(signal, id);
}
