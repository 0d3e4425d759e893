import { type AliasNetmaskText, aliasNetmask as template } from '../templates/alias-netmask.js';
import type { CaseEmail } from './case-email.js';
import { hostAlias } from './remediations.js';

/** Case 1: a failover IP configured as an alias with a netmask wider than /32. */
export const aliasNetmask: CaseEmail<AliasNetmaskText> = { remediation: hostAlias, template };
