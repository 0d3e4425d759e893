import type { CaseRule } from './classify-context.js';

/**
 * Flood: many NOC-only incidents open at once in one VLAN (spoofing, a scan, a loop), made one
 * incident by the incident book (src/incidents/flood.ts). No single signal is a flood, so its rule
 * never decides: the registry holds the case for its id, audience and counters.
 */
export const madeByIncidentBook: CaseRule = () => false;
