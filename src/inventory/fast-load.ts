import type { z } from 'zod';
import type { LocatedYaml } from '../common/yaml-errors.js';
import { fastFailover, fastServer } from './fast-entries.js';
import { NOT_SIMPLE, parseLineYaml } from './line-yaml.js';
import type { InventoryFile } from './schema.js';
import { SECTIONS, type ValidatedInventory } from './validate.js';

const ENTRY: Record<keyof InventoryFile, z.ZodType> = SECTIONS;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSection = (k: string): k is keyof InventoryFile => Object.hasOwn(ENTRY, k);

/**
 * The usual inventory, read and validated entry by entry as each line is read (line-yaml.ts): only
 * the validated entries are kept. Null when the file is not that shape or anything in it is wrong:
 * the full path (js-yaml, then validateInventory) reads it again and names every problem as always.
 */
export function readValidInventory(file: string, text: string): { y: LocatedYaml; v: ValidatedInventory } | null {
  const fast = parseLineYaml(text, (section, value) => {
    if (!isSection(section)) return NOT_SIMPLE;
    const plain = isRecord(value) ? (section === 'failover_ips' ? fastFailover(value) : section === 'servers' ? fastServer(value) : null) : null;
    if (plain !== null) return plain;
    const r = ENTRY[section].safeParse(value);
    return r.success ? r.data : NOT_SIMPLE;
  });
  if (fast === null) return null;
  const data = fast.data;
  const keys = Object.keys(data);
  // an empty file, a list written without entries (`servers:`), an unknown key (even `colour: []`, which has no
  // entry to refuse): the full path says what that means
  if (keys.length === 0 || keys.some((k) => data[k] === null || !isSection(k))) return null;
  const list = <K extends keyof InventoryFile>(k: K): InventoryFile[K] => (data[k] ?? []) as InventoryFile[K];
  const f: InventoryFile = {
    routers: list('routers'), customers: list('customers'), servers: list('servers'), failover_ips: list('failover_ips'),
    blocks: list('blocks'), portable_blocks: list('portable_blocks'), vrack: list('vrack'),
  };
  // every entry is valid: the ids declared are those validated (a reference to none is missing)
  let ids: Record<'customers' | 'servers', Set<string>> | null = null;
  const declares: ValidatedInventory['declares'] = (section, id) => {
    ids ??= { customers: new Set(f.customers.map((c) => c.id)), servers: new Set(f.servers.map((s) => s.id)) };
    return ids[section].has(id);
  };
  return { y: { file, text, data, entryLine: fast.entryLine }, v: { file: f, declares } };
}
