import type { Cidr } from '../common/cidr.js';
import type { Locale } from '../common/locales.js';
import { type FailoverColumns, InventoryIndex, MAC_SERVER, MAC_VMAC, type ServerColumns } from './inventory-index.js';
import type { Customer, PortableBlock, Server } from './model.js';

/**
 * An inventory as flat columns (typed arrays, and the strings of a column joined by "\n", which no id, email or
 * name holds): what a reload's worker thread sends back. Posting it costs the capture's thread a copy of a few
 * strings and nothing for the arrays (transferred); the index is built from it in slices (buildSteps).
 */
export interface CompiledInventory {
  routers: { ip: Uint32Array; mac: Float64Array };
  customers: { id: string; email: string; name: string; locale: string; muted: Uint8Array };
  servers: ServerColumns;
  /** failover IPs and split blocks' members; block: index in blocks, or -1 */
  failovers: FailoverColumns;
  blocks: { cidr: string; range: Cidr; split: boolean; server: number }[];
  portableBlocks: { cidr: string; range: Cidr; gateway: number; customer: number; vlan: number }[];
  vrack: Cidr[];
}

const join = (xs: readonly string[]): string => xs.join('\n');
const split = (s: string, n: number): string[] => (n === 0 ? [] : s.split('\n'));

/** The index's columns as they are (no copy of the servers' and failovers'), the few customers, routers and blocks made into columns. */
export function compileInventory(inv: InventoryIndex): CompiledInventory {
  const customers = inv.customerList;
  const customerAt = new Map<Customer, number>(customers.map((c, i) => [c, i]));
  const routers = inv.routerList;
  // a block's server by its main IP: the index holds one server a main IP
  const serverRow = (s: Server | null): number => (s === null ? -1 : inv.serverRows.rowOf(s.ip));
  return {
    routers: { ip: Uint32Array.from(routers, (r) => r.ip), mac: Float64Array.from(routers, (r) => r.mac) },
    customers: {
      id: join(customers.map((c) => c.id)), email: join(customers.map((c) => c.email)), name: join(customers.map((c) => c.name)),
      locale: join(customers.map((c) => c.locale)), muted: Uint8Array.from(customers, (c) => (c.muted ? 1 : 0)),
    },
    servers: inv.sv,
    failovers: inv.fo,
    blocks: inv.blockList.map((b) => ({ cidr: b.cidr, range: b.range, split: b.split, server: serverRow(b.server) })),
    portableBlocks: inv.portableBlocks.values().map((p) => ({ cidr: p.cidr, range: p.range, gateway: p.gateway, customer: customerAt.get(p.customer)!, vlan: p.vlan ?? -1 })),
    vrack: inv.vrack.values(),
  };
}

/** The buffers a postMessage may transfer (not copy). */
export function compiledBuffers(c: CompiledInventory): ArrayBuffer[] {
  const arrays = [c.routers.ip, c.routers.mac, c.customers.muted, c.servers.customer, c.servers.ip, c.servers.mac, c.servers.gateway, c.servers.vlan,
    c.failovers.ip, c.failovers.server, c.failovers.vmac, c.failovers.block, c.failovers.muted];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Keys indexed between two checks of the time budget. */
const STEP = 4096;
/** failover map slots filled in between two checks */
const HOT_STEP = 32768;

/**
 * The index of a compiled inventory, built in steps: the generator yields every few thousand entries, so the
 * caller can let the capture run between them (buildInventory runs it at once). The same index resolve.ts builds:
 * the same entries, inserted in the same order.
 */
export function* buildSteps(c: CompiledInventory): Generator<void, InventoryIndex> {
  let vmacs = 0;
  for (let i = 0; i < c.failovers.vmac.length; i++) if (c.failovers.vmac[i] >= 0) vmacs++;
  const macs = c.routers.mac.length + c.servers.mac.length + vmacs;
  // the columns are the index's: only the keys are indexed here
  const inv = new InventoryIndex({ servers: c.servers.ip.length, failovers: c.failovers.ip.length, macs }, { servers: c.servers, failovers: c.failovers });
  for (let i = 0; i < c.routers.ip.length; i++) inv.addRouter({ ip: c.routers.ip[i], mac: c.routers.mac[i] });
  const cu = c.customers;
  const n = cu.muted.length;
  const [ids, emails, names, locales] = [split(cu.id, n), split(cu.email, n), split(cu.name, n), split(cu.locale, n)];
  for (let i = 0; i < n; i++) inv.addCustomer({ id: ids[i], email: emails[i], name: names[i], locale: locales[i] as Locale, muted: cu.muted[i] === 1 });
  yield;
  const sv = c.servers;
  for (let i = 0; i < sv.ip.length; i++) {
    inv.serverRows.set(sv.ip[i], i);
    inv.macRows.set(sv.mac[i], i * 4 + MAC_SERVER);
    if (i % STEP === STEP - 1) yield;
  }
  for (const b of c.blocks) inv.addBlock({ cidr: b.cidr, range: b.range, split: b.split, server: b.server < 0 ? null : inv.serverAt(b.server) });
  for (const p of c.portableBlocks) {
    const pb: PortableBlock = { cidr: p.cidr, range: p.range, gateway: p.gateway, customer: inv.customerList[p.customer], vlan: p.vlan < 0 ? null : p.vlan };
    inv.portableBlocks.add(p.range, pb);
  }
  for (const r of c.vrack) inv.vrack.add(r, r);
  const fo = c.failovers;
  for (let i = 0; i < fo.ip.length; i++) {
    inv.setFailoverIp(fo.ip[i], i);
    if (fo.vmac[i] >= 0) inv.macRows.set(fo.vmac[i], i * 4 + MAC_VMAC);
    if (i % STEP === STEP - 1) yield;
  }
  yield;
  // the detector's table of the failovers' hot fields, built now rather than in the swap
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
