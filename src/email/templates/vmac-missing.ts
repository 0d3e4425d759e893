/**
 * Case 2, virtual MAC not used: a failover IP with a virtual MAC is sent from
 * another MAC (a VM whose card kept its generated MAC). The fix: the VM's
 * network card carries the virtual MAC; its gateway is the host's G, on-link.
 */
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { code } from './doc.js';
import { IFACE } from './snippets.js';
import { vmac, vmGateway } from './vmac-gateway.js';

/** The case's text in one locale, given the gateway G, the virtual MAC and the MAC the frames came from. */
export type VmacMissingText = (x: Ctx, G: string, vm: string, seen: string) => CaseText;

export const ipLink = code(`ip link show ${IFACE}`);
export const netplanMatch = code('match: macaddress');

export const vmacMissing: CaseTemplate<VmacMissingText> = (x, text) => {
  const vm = vmac(x);
  // the MAC the evidence came from; the samples' first other MAC if the job's is the virtual one
  const seen = x.job.mac !== vm ? x.job.mac : (x.macs.find((m) => m !== vm) ?? x.job.mac);
  return text(x, vmGateway(x), vm, seen);
};
