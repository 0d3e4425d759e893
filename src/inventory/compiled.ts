import type { Cidr } from '../common/cidr.js';
import type { Locale } from '../common/locales.js';
import { InventoryIndex } from './inventory-index.js';
import type { Customer, FailoverIp, PortableBlock, RoutedBlock, Server } from './model.js';

/**
 * An inventory as flat columns (typed arrays, and the strings of a column joined by "\n", which no id, email or
 * name holds): what a reload's worker thread sends back. Posting it costs the capture's thread a copy of a few
 * strings and nothing for the arrays (transferred); the index is built from it in slices (buildSteps).
 */
export interface CompiledInventory {
  routers: { ip: Uint32Array; mac: Float64Array };
  customers: { id: string; email: string; name: string; locale: string; muted: Uint8Array };
  servers: { id: string; customer: Int32Array; ip: Uint32Array; mac: Float64Array; gateway: Uint32Array; vlan: Int32Array };
  /** failover IPs and split blocks' members; block: index in blocks, or -1 */
  failovers: { ip: Uint32Array; server: Int32Array; vmac: Float64Array; block: Int32Array; muted: Uint8Array };
  blocks: { cidr: string; range: Cidr; split: boolean; server: number }[];
  portableBlocks: { cidr: string; range: Cidr; gateway: number; customer: number; vlan: number }[];
  vrack: Cidr[];
}

const join = (xs: readonly string[]): string => xs.join('\n');
const split = (s: string, n: number): string[] => (n === 0 ? [] : s.split('\n'));

export function compileInventory(inv: InventoryIndex): CompiledInventory {
  const customers = [...inv.customers.values()];
  const customerAt = new Map<Customer, number>(customers.map((c, i) => [c, i]));
  const servers = [...inv.servers.values()];
  const serverAt = new Map<Server, number>(servers.map((s, i) => [s, i]));
  const routers = inv.routers.list();
  const blocks = inv.blocks.values();
  const blockAt = new Map<RoutedBlock, number>(blocks.map((b, i) => [b, i]));
  const fos = inv.failovers.list();
  const portable = inv.portableBlocks.values();
  return {
    routers: { ip: Uint32Array.from(routers, (r) => r.ip), mac: Float64Array.from(routers, (r) => r.mac) },
    customers: {
      id: join(customers.map((c) => c.id)), email: join(customers.map((c) => c.email)), name: join(customers.map((c) => c.name)),
      locale: join(customers.map((c) => c.locale)), muted: Uint8Array.from(customers, (c) => (c.muted ? 1 : 0)),
    },
    servers: {
      id: join(servers.map((s) => s.id)), customer: Int32Array.from(servers, (s) => customerAt.get(s.customer)!),
      ip: Uint32Array.from(servers, (s) => s.ip), mac: Float64Array.from(servers, (s) => s.mac),
      gateway: Uint32Array.from(servers, (s) => s.gateway), vlan: Int32Array.from(servers, (s) => s.vlan ?? -1),
    },
    failovers: {
      ip: Uint32Array.from(fos, (f) => f.ip), server: Int32Array.from(fos, (f) => serverAt.get(f.server)!),
      vmac: Float64Array.from(fos, (f) => f.virtualMac ?? -1), block: Int32Array.from(fos, (f) => (f.block === null ? -1 : blockAt.get(f.block)!)),
      muted: Uint8Array.from(fos, (f) => (f.muted ? 1 : 0)),
    },
    blocks: blocks.map((b) => ({ cidr: b.cidr, range: b.range, split: b.split, server: b.server === null ? -1 : serverAt.get(b.server)! })),
    portableBlocks: portable.map((p) => ({ cidr: p.cidr, range: p.range, gateway: p.gateway, customer: customerAt.get(p.customer)!, vlan: p.vlan ?? -1 })),
    vrack: inv.vrack.values(),
  };
}

/** The buffers a postMessage may transfer (not copy). */
export function compiledBuffers(c: CompiledInventory): ArrayBuffer[] {
  const arrays = [c.routers.ip, c.routers.mac, c.customers.muted, c.servers.customer, c.servers.ip, c.servers.mac, c.servers.gateway, c.servers.vlan,
    c.failovers.ip, c.failovers.server, c.failovers.vmac, c.failovers.block, c.failovers.muted];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Entries built between two checks of the time budget. */
const STEP = 1024;
/** failover map slots filled in between two checks */
const HOT_STEP = 32768;

/**
 * The index of a compiled inventory, built in steps: the generator yields every few thousand entries, so the
 * caller can let the capture run between them (buildInventory runs it at once). The same index resolve.ts builds:
 * the same entries, inserted in the same order.
 */
export function* buildSteps(c: CompiledInventory): Generator<void, InventoryIndex> {
  const macs = c.routers.mac.length + c.servers.mac.length + c.failovers.vmac.filter((m) => m >= 0).length;
  const inv = new InventoryIndex({ servers: c.servers.ip.length, failovers: c.failovers.ip.length, macs });
  for (let i = 0; i < c.routers.ip.length; i++) {
    const router = { ip: c.routers.ip[i], mac: c.routers.mac[i] };
    inv.routers.set(router.ip, router);
    if (!inv.routerMacs.includes(router.mac)) inv.routerMacs.push(router.mac);
    if (!inv.macOwners.has(router.mac)) inv.macOwners.set(router.mac, { kind: 'router', router });
  }
  const cu = c.customers;
  const n = cu.muted.length;
  const [ids, emails, names, locales] = [split(cu.id, n), split(cu.email, n), split(cu.name, n), split(cu.locale, n)];
  yield;
  const customers: Customer[] = new Array<Customer>(n);
  for (let i = 0; i < n; i++) {
    const customer: Customer = { id: ids[i], email: emails[i], name: names[i], locale: locales[i] as Locale, muted: cu.muted[i] === 1 };
    customers[i] = customer;
    inv.customers.set(customer.id, customer);
    if (i % STEP === STEP - 1) yield;
  }
  const sv = c.servers;
  const serverIds = split(sv.id, sv.ip.length);
  yield;
  const servers: Server[] = new Array<Server>(sv.ip.length);
  for (let i = 0; i < sv.ip.length; i++) {
    const server: Server = { id: serverIds[i], customer: customers[sv.customer[i]], ip: sv.ip[i], mac: sv.mac[i], gateway: sv.gateway[i], vlan: sv.vlan[i] < 0 ? null : sv.vlan[i] };
    servers[i] = server;
    inv.servers.set(server.id, server);
    inv.serversByIp.set(server.ip, server);
    inv.macOwners.set(server.mac, { kind: 'server', server });
    if (i % STEP === STEP - 1) yield;
  }
  const blocks: RoutedBlock[] = c.blocks.map((b) => ({ cidr: b.cidr, range: b.range, split: b.split, server: b.server < 0 ? null : servers[b.server] }));
  for (const b of blocks) inv.blocks.add(b.range, b);
  for (const p of c.portableBlocks) {
    const pb: PortableBlock = { cidr: p.cidr, range: p.range, gateway: p.gateway, customer: customers[p.customer], vlan: p.vlan < 0 ? null : p.vlan };
    inv.portableBlocks.add(p.range, pb);
  }
  for (const r of c.vrack) inv.vrack.add(r, r);
  const fo = c.failovers;
  for (let i = 0; i < fo.ip.length; i++) {
    const vmac = fo.vmac[i] < 0 ? null : fo.vmac[i];
    const f: FailoverIp = { ip: fo.ip[i], server: servers[fo.server[i]], virtualMac: vmac, block: fo.block[i] < 0 ? null : blocks[fo.block[i]], muted: fo.muted[i] === 1 };
    inv.failovers.set(f.ip, f);
    if (vmac !== null) inv.macOwners.set(vmac, { kind: 'virtual-mac', failover: f });
    if (i % STEP === STEP - 1) yield;
  }
  yield;
  // the detector's table of the failovers' hot fields, built now rather than in the swap (tens of ms at once)
  for (let from = 0; !inv.fillFailoverHot(from, HOT_STEP); from += HOT_STEP) yield;
  return inv;
}

export function buildInventory(c: CompiledInventory): InventoryIndex {
  const steps = buildSteps(c);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/**
 * Runs the steps between the event loop's other work: at most `sliceMs` at a time, then the loop's turn.
 * `longestMs`: the longest slice, as it went (a test's and a log's figure).
 */
export function buildInSlices(c: CompiledInventory, sliceMs = 5, stats: { longestMs: number } = { longestMs: 0 }): Promise<InventoryIndex> {
  const steps = buildSteps(c);
  return new Promise((resolve, reject) => {
    const slice = (): void => {
      try {
        const start = performance.now();
        const until = start + sliceMs;
        for (;;) {
          const r = steps.next();
          const now = performance.now();
          stats.longestMs = Math.max(stats.longestMs, now - start);
          if (r.done === true) return resolve(r.value);
          if (now >= until) break;
        }
        setImmediate(slice);
      } catch (e) {
        reject(e);
      }
    };
    setImmediate(slice);
  });
}
