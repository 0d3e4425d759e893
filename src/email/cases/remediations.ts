/** Remediations that several cases share. */
import { ipToString, macToString } from '../../decode/addr.js';
import type { Remediation } from '../job.js';
import type { RemediationInput } from './case-email.js';

/** A failover IP as a /32 alias: netmask 255.255.255.255, broadcast the IP itself, no gateway. */
export const hostAlias = ({ ip }: RemediationInput): Remediation => ({ netmask: '255.255.255.255', broadcast: ip });

/** A VM on a virtual MAC: the host server's real gateway, and the MAC its interface must carry. */
export function vmOnVirtualMac({ verdict: v }: RemediationInput): Remediation {
  const rem: Remediation = {};
  if (v.server) rem.gateway = ipToString(v.server.gateway);
  if (v.failover?.virtualMac != null) rem.virtualMac = macToString(v.failover.virtualMac);
  return rem;
}

/** Nothing beyond the block (or nothing at all): the email explains the fix from the job's other fields. */
export const nothingMore = (): Remediation => ({});
