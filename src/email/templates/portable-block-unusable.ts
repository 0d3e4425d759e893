/**
 * Portable block: a secondary subnet on the customer's VLAN whose first
 * address is the network, the second the gateway (the router's) and the last
 * the broadcast. Either one of those three is used as a machine's address, or
 * a machine of the block asks for another gateway than the block's. The fix:
 * a usable address, the block's netmask and gateway.
 */
import type { EmailJob } from '../job.js';
import type { CaseTemplate, Ctx } from './context.js';
import { addressList, prefixOf, reservedRole } from './context.js';
import type { Block, Inline } from './doc.js';
import { code, joinList, kv, para, pre, t } from './doc.js';
import { freeAddresses } from './free-address.js';
import { distroBlocks, IFACE, subnetSnippets } from './snippets.js';

type Role = 'network' | 'gateway' | 'broadcast';

interface V {
  b: NonNullable<EmailJob['remediation']['block']>;
  gw: string;
  role: Role | null;
  /** the other gateway the machine asks for, if any */
  asked: string | undefined;
  seen: string;
  /** the address the snippets configure: the IP if usable, else `free`, else (every usable one seen in use) the locale's placeholder */
  use: string;
  /** a reserved address's machine: the usable address suggested, the first not seen in use; null when every one was */
  free: string | null;
  /** the usable addresses seen in use; undefined: the job does not say (queued before it was carried) */
  inUse: string[] | undefined;
  /** the other reserved addresses of a grouped email, each with a free address of its own (null: too few seen free) */
  others: { ip: string; to: string | null }[];
}

/** The case's words in one locale. */
export interface PortableBlockUnusableText {
  subject(x: Ctx, v: V): string;
  role: Record<Role, string>;
  reserved(x: Ctx, v: V, role: string): Block;
  gatewayTaken: Block;
  alsoAsks(v: V, asked: string): Block;
  wrongGateway(x: Ctx, v: V, asked: string): Block;
  disturbs: Block;
  notUsable(v: V): Inline[];
  /** move the machine to a free usable address, with the block's netmask and gateway; then `example` or `noneFree` */
  move(x: Ctx, v: V): Inline[];
  /** for example `free`, saying what was seen in use (v.inUse) */
  example(x: Ctx, v: V, free: string): Inline[];
  /** every usable address was seen in use: free one first, the commands written with `freeWord` (v.use) */
  noneFree(v: V): Inline[];
  /** the placeholder the commands carry when no address can be suggested */
  freeWord: string;
  /** a grouped email: the other machines on reserved addresses move the same way, each to a free address of its own (null: too few seen free) */
  othersMove: { one(ip: string, to: string | null): Block; many(ips: Inline[], pairs: Inline[] | null): Block; pair(ip: string, to: string): string };
  keep(x: Ctx, v: V): Block;
  more: Block;
  sawReserved(x: Ctx, v: V, role: string): Block;
  values: Block;
  sawGateway(x: Ctx, v: V, asked: string): Block;
  where: string;
  good(v: V): Inline[][];
  badSender(x: Ctx): Inline[];
  badGateway(x: Ctx, asked: string): Inline[];
  works: Record<Role | 'usable', (v: V) => Block>;
}

export const portableBlockUnusable: CaseTemplate<PortableBlockUnusableText> = (x, W) => {
  const b = x.job.remediation.block;
  if (b === undefined) throw new Error(`portable-block-unusable job ${x.job.jobId} has no remediation.block`);
  const gw = x.job.remediation.gateway ?? b.firstUsable;
  const role = reservedRole(x.ip, b, x.job.remediation.gateway);
  // a grouped email's machines on reserved addresses each need a free address: not all the same one
  const movers = role === null ? [] : [x.ip, ...(x.job.group ?? []).map((g) => g.ip).filter((ip) => reservedRole(ip, b, x.job.remediation.gateway) !== null)];
  // the gateway's email is a job apart from the network's and broadcast's (they need another fix): it takes its free
  // address from the block's other end, so that the two emails do not send two machines to one address
  const frees = freeAddresses(b, Math.max(1, movers.length), role === 'gateway');
  const free = frees[0] ?? null;
  const use = role === null ? x.ip : free ?? W.freeWord;
  const others = movers.slice(1).map((ip, i) => ({ ip, to: frees[i + 1] ?? null }));
  const v: V = { b, gw, role, asked: x.targets.find((a) => a !== gw), seen: x.job.mac, use, free, inUse: b.inUse, others };
  const L = x.L;
  const prefix = prefixOf(b.netmask);
  const summary: Block[] =
    role !== null
      ? [W.reserved(x, v, W.role[role]), ...(role === 'gateway' ? [W.gatewayTaken] : []), ...(v.asked !== undefined ? [W.alsoAsks(v, v.asked)] : [])]
      : [W.wrongGateway(x, v, v.asked ?? L.unknown.gateway)];
  const saw: Block[] =
    role !== null ? [W.sawReserved(x, v, W.role[role])] : v.asked !== undefined ? [W.sawGateway(x, v, v.asked)] : [];
  return {
    subject: W.subject(x, v),
    summary: [...summary, W.disturbs],
    fix: [
      W.values,
      kv(
        [L.label.block, [code(b.cidr)]],
        [L.label.usable, [code(`${b.firstUsable}–${b.lastUsable}`)]],
        [L.label.netmask, t`${code(b.netmask)} (/${prefix})`],
        [L.label.gateway, [code(gw)]],
        [L.label.notUsable, W.notUsable(v)],
      ),
      role === null ? W.keep(x, v) : para([...W.move(x, v), ' ', ...(free === null ? W.noneFree(v) : W.example(x, v, free))]),
      ...distroBlocks(L, subnetSnippets({ ip: v.use, prefix, netmask: b.netmask, gateway: gw }), { windows: L.windowsConsoleNote }),
      ...(others.length > 0 ? [othersMove(x, W.othersMove, others)] : []),
      para(L.ifaceOnly),
      // running out of usable addresses matters only to a machine that must move to one
      ...(role === null ? [] : [W.more]),
    ],
    saw,
    check: {
      where: W.where,
      good: W.good(v),
      bad: [...(role !== null ? [W.badSender(x)] : []), ...(v.asked !== undefined ? [W.badGateway(x, v.asked)] : [])],
      extra: [para(L.wholeBlock), pre([`tcpdump -nn -e -i ${IFACE} arp and net ${b.cidr}`])],
    },
    works: [W.works[role ?? 'usable'](v)],
  };
};

/** The paragraph that moves a grouped email's other machines on reserved addresses, each to its own free address. */
function othersMove(x: Ctx, W: PortableBlockUnusableText['othersMove'], others: V['others']): Block {
  if (others.length === 1) return W.one(others[0].ip, others[0].to);
  const pairs = others.map((o) => (o.to === null ? null : W.pair(o.ip, o.to)));
  const all = pairs.every((q): q is string => q !== null);
  return W.many(addressList(x, others.map((o) => o.ip), others.length), all ? joinList(pairs, x.L.and) : null);
}

