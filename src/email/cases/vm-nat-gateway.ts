import { ipToString } from '../../decode/addr.js';
import { type VmNatGatewayText, vmNatGateway as template } from '../templates/vm-nat-gateway.js';
import type { CaseEmail } from './case-email.js';

/** Case 3: a routed VM (no virtual MAC) using the provider's gateway: its gateway is the host's physical IP. */
export const vmNatGateway: CaseEmail<VmNatGatewayText> = {
  remediation: ({ verdict: v }) => (v.server ? { gateway: ipToString(v.server.ip) } : {}),
  template,
};
