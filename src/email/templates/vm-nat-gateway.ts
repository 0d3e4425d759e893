/**
 * Case 3: a failover IP without virtual MAC used by a VM bridged onto the
 * segment with its own MAC, usually asking for the server's gateway G. The
 * fix: route the VM through the host (its gateway is the host's physical IP
 * M, on-link, and the host routes the IP to it), or order a virtual MAC (case 2).
 */
import type { CaseTemplate, CaseText, Ctx } from './context.js';
import { serverName } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, kv, para, pre, t } from './doc.js';
import { distroBlocks, onLinkSnippets, routedHostSnippets } from './snippets.js';

export interface VmNatValues {
  /** the host's physical IP: the VM's gateway */
  M: string;
  /** the host server's gateway (for the virtual MAC option) */
  G: string;
  /** the host's NIC MAC, the only one the router expects for the IP */
  Ms: string;
  /** the VM's MAC seen on the wire */
  seen: string;
  /** the gateway the VM asks for, if the samples show it */
  asked: string | undefined;
  /** the server's id, or the locale's "your server" */
  host: string;
}

export const interfacesFile = code('/etc/network/interfaces');

/** The VM's values, the on-link note and the snippets for gateway M; then the host's side. */
export function routedFix(x: Ctx, v: VmNatValues, w: { vmSet: Block; gateway: Inline[]; host: Block; forwarding: Block; windowsHost: Block; after: Block }): Block[] {
  const host = routedHostSnippets({ mainIp: v.M, ip: x.ip });
  return [
    w.vmSet,
    kv([x.L.label.address, [code(x.ip)]], [x.L.label.netmask, t`${code('255.255.255.255')} (/32)`], [x.L.label.gateway, w.gateway]),
    para(x.L.onLinkNote(x.ip)),
    para(x.L.ifaceNote(x.ip)),
    ...distroBlocks(x.L, onLinkSnippets({ ip: x.ip, gateway: v.M }), { windows: x.L.windowsConsoleNote }),
    w.host,
    pre(host.interfaces),
    w.forwarding,
    pre(host.forwarding),
    w.windowsHost,
    pre(host.windows),
    w.after,
  ];
}

/** The case's text in one locale: its words for "your server" (the host when the job names none), and the text given the values below. */
export interface VmNatGatewayText {
  yourServer: string;
  text(x: Ctx, v: VmNatValues): CaseText;
}

export const vmNatGateway: CaseTemplate<VmNatGatewayText> = (x, T) => {
  const v: VmNatValues = {
    M: x.job.remediation.gateway ?? x.server?.ip ?? x.L.unknown.main,
    G: x.server?.gateway ?? x.L.unknown.gateway,
    Ms: x.server?.mac ?? x.L.unknown.mac,
    seen: x.job.mac,
    asked: x.targets[0],
    host: serverName(x, T.yourServer),
  };
  return T.text(x, v);
};
