import { type VmacMissingText, vmacMissing as template } from '../templates/vmac-missing.js';
import type { CaseEmail } from './case-email.js';
import { vmOnVirtualMac } from './remediations.js';

/** Case 2: a failover IP with a virtual MAC seen from another MAC (the VM's interface lacks it). */
export const vmacMissing: CaseEmail<VmacMissingText> = { remediation: vmOnVirtualMac, template };
