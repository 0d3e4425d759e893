import { nobodysVerdict } from '../../src/classify/verdict.js';
import type { VerdictSource } from '../../src/incidents/incident-book.js';

/** The incident book's verdicts for its own tests: every incident nobody's (no inventory behind them). */
export const nobodysVerdicts: VerdictSource = {
  verdict: (s, caseId) => nobodysVerdict(caseId, s.ip),
  reverdict: (k) => nobodysVerdict(k.caseId, k.ip),
};
