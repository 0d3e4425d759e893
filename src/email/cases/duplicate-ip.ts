import { type DuplicateIpText, duplicateIp as template } from '../templates/duplicate-ip.js';
import type { CaseEmail } from './case-email.js';
import { nothingMore } from './remediations.js';

/** An IP still configured on the server it was moved away from: the job's staleServer says where to remove it. */
export const duplicateIp: CaseEmail<DuplicateIpText> = { remediation: nothingMore, template };
