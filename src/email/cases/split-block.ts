import { type SplitBlockText, splitBlock as template } from '../templates/split-block.js';
import type { CaseEmail } from './case-email.js';
import { hostAlias } from './remediations.js';

/** Case 1b: an IP of a split block (each IP a /32 failover) configured with the block's netmask. */
export const splitBlock: CaseEmail<SplitBlockText> = { remediation: hostAlias, template };
