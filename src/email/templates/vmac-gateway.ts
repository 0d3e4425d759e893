/**
 * Case 2, wrong gateway: a failover IP with a virtual MAC, used by a VM that
 * carries the virtual MAC but asks for another gateway than its host
 * server's G. The fix: gateway G, reached on-link, interface MAC = the
 * virtual MAC. Each locale's VmParts (its vmac-gateway.ts) is shared with
 * vmac-missing.
 */
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, para, t } from './doc.js';
import { distroBlocks, onLinkSnippets } from './snippets.js';

/** The gateway a case-2 VM must use: the host server's G. */
export const vmGateway = (x: Ctx): string => x.job.remediation.gateway ?? x.server?.gateway ?? x.L.unknown.gateway;
/** The virtual MAC assigned to the IP. */
export const vmac = (x: Ctx): string => x.job.remediation.virtualMac ?? x.L.unknown.vmac;

/** What the case-2 emails share, in each locale's words. */
export interface VmParts {
  /** the VM's values: address, netmask, gateway on-link, interface MAC */
  values(x: Ctx): Block;
  /** the on-link note, the interface note and the three snippets */
  config(x: Ctx): Block[];
  /** where the virtual MAC is set, per hypervisor */
  hypervisors(vm: string): Block;
}

/** The case's text in one locale, given its gateway G, the virtual MAC and the wrong gateway the samples show (if any). */
export type VmacGatewayText = (x: Ctx, G: string, vm: string, wrong: string | undefined) => CaseText;

/** VmParts.config: the same in every locale but for the common wording. */
export const vmConfig = (x: Ctx): Block[] => [
  para(x.L.onLinkNote(x.ip)),
  para(x.L.ifaceNote(x.ip)),
  ...distroBlocks(x.L, onLinkSnippets({ ip: x.ip, gateway: vmGateway(x) }), { windows: x.L.windowsConsoleNote }),
];

/** VmParts.values with the locale's words for the gateway. */
export const vmTable = (x: Ctx, gateway: Inline[]): Block =>
  kv(
    [x.L.label.address, [code(x.ip)]],
    [x.L.label.netmask, t`${code('255.255.255.255')} (/32)`],
    [x.L.label.gateway, gateway],
    [x.L.label.mac, [code(vmac(x))]],
  );

export const libvirtMac = (vm: string): Inline => code(`<mac address='${vm}'/>`);
/** Hyper-V (Windows Server hosts) takes the MAC as 12 hex digits */
export const hypervMac = (vm: string): Inline => code(`Set-VMNetworkAdapter -VMName VM -StaticMacAddress ${vm.replaceAll(':', '').toUpperCase()}`);
export const ipRoute = code('ip route');

export const vmacGateway: CaseTemplate<VmacGatewayText> = (x, text) => {
  const G = vmGateway(x);
  const wrong = x.targets.find((a) => a !== G);
  return text(x, G, vmac(x), wrong);
};
