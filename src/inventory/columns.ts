/** The inventory index's columns (inventory-index.ts): their shapes, allocated, grown, and the starts of a joined string's lines. */

/** The servers' columns, a row each in the order of the file: ids joined by "\n" (no id holds one), the customer's row, vlan -1 for none. */
export interface ServerColumns { id: string; customer: Int32Array; ip: Uint32Array; mac: Float64Array; gateway: Uint32Array; vlan: Int32Array }
/** The failover IPs' columns (single ones first, then split blocks' members): the server's row, vmac -1 for none, block: its index in blockList or -1. */
export interface FailoverColumns { ip: Uint32Array; server: Int32Array; vmac: Float64Array; block: Int32Array; muted: Uint8Array }

/** Where each of the first `n` lines of `text` starts, and one past the end (n + 1 entries): a row's text is [start[i], start[i + 1] - 1). */
export function lineStarts(text: string, n: number): Uint32Array {
  const out = new Uint32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    out[i] = at;
    const nl = text.indexOf('\n', at);
    at = nl < 0 ? text.length + 1 : nl + 1;
  }
  out[n] = at;
  return out;
}

export function serverColumns(n: number): ServerColumns {
  return { id: '', customer: new Int32Array(n), ip: new Uint32Array(n), mac: new Float64Array(n), gateway: new Uint32Array(n), vlan: new Int32Array(n) };
}

export function failoverColumns(n: number): FailoverColumns {
  return { ip: new Uint32Array(n), server: new Int32Array(n), vmac: new Float64Array(n), block: new Int32Array(n), muted: new Uint8Array(n) };
}

export function grownServers(c: ServerColumns, n: number): ServerColumns {
  const g = serverColumns(n);
  g.customer.set(c.customer); g.ip.set(c.ip); g.mac.set(c.mac); g.gateway.set(c.gateway); g.vlan.set(c.vlan);
  return g;
}

export function grownFailovers(c: FailoverColumns, n: number): FailoverColumns {
  const g = failoverColumns(n);
  g.ip.set(c.ip); g.server.set(c.server); g.vmac.set(c.vmac); g.block.set(c.block); g.muted.set(c.muted);
  return g;
}
