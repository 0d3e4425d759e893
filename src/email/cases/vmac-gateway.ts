import { type VmacGatewayText, vmacGateway as template } from '../templates/vmac-gateway.js';
import type { CaseEmail } from './case-email.js';
import { vmOnVirtualMac } from './remediations.js';

/** Case 2: a VM on a virtual MAC using a gateway other than its host server's. */
export const vmacGateway: CaseEmail<VmacGatewayText> = { remediation: vmOnVirtualMac, template };
