/** The email of every customer case, one line each. */
import { aliasNetmask } from './alias-netmask.js';
import { blockNetmask } from './block-netmask.js';
import type { CaseEmails } from './case-email.js';
import { duplicateIp } from './duplicate-ip.js';
import { portableBlockUnusable } from './portable-block-unusable.js';
import { splitBlock } from './split-block.js';
import { vmNatGateway } from './vm-nat-gateway.js';
import { vmacGateway } from './vmac-gateway.js';
import { vmacMissing } from './vmac-missing.js';

export const CASE_EMAILS = {
  'alias-netmask': aliasNetmask,
  'block-netmask': blockNetmask,
  'split-block': splitBlock,
  'vmac-gateway': vmacGateway,
  'vmac-missing': vmacMissing,
  'vm-nat-gateway': vmNatGateway,
  'portable-block-unusable': portableBlockUnusable,
  'duplicate-ip': duplicateIp,
} as const satisfies CaseEmails;

/** The case's email, or undefined for an id this version does not know (a job from elsewhere). */
export function caseEmailOf(caseId: string): CaseEmails[keyof CaseEmails] | undefined {
  return Object.hasOwn(CASE_EMAILS, caseId) ? CASE_EMAILS[caseId as keyof CaseEmails] : undefined;
}
