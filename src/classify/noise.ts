import type { CaseRule } from './classify-context.js';

/** Noise: excessive or unresolved ARP, or ARP for routed IPs, that fits no customer case. The NOC sees it; no customer is written to. */
export const noise: CaseRule = () => 'noise';
