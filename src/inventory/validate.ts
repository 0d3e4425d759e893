import { z } from 'zod';
import { validationMessages } from '../common/validation-messages.js';
import type { FileProblems, LocatedYaml } from '../common/yaml-errors.js';
import { blockSchema, customerSchema, failoverSchema, type InventoryFile, inventorySchema, portableBlockSchema, routerSchema, serverSchema } from './schema.js';

/** Each list of the file and the schema of one of its entries (fast-load.ts checks entries against them too). */
export const SECTIONS = {
  routers: routerSchema,
  customers: customerSchema,
  servers: serverSchema,
  failover_ips: failoverSchema,
  blocks: blockSchema,
  portable_blocks: portableBlockSchema,
  vrack: z.string({ error: 'expected a CIDR block (a.b.c.d/len)' }),
} as const;
type Section = keyof typeof SECTIONS;
const SECTION_NAMES = Object.keys(SECTIONS) as Section[];

const topSchema = z.strictObject(
  Object.fromEntries(SECTION_NAMES.map((k) => [k, z.array(z.unknown(), { error: 'expected a list' }).nullable().default([])])) as
    Record<Section, z.ZodDefault<z.ZodNullable<z.ZodArray<z.ZodUnknown>>>>,
);

export interface ValidatedInventory {
  file: InventoryFile;
  /** does the file declare this id, valid or not? A reference to a broken entry is not reported again as missing */
  declares(section: 'customers' | 'servers', id: string): boolean;
}

/**
 * Validates the whole file at once (the fast path, 100,000 servers in a fraction of a second); when anything is
 * wrong, again entry by entry, so that one bad entry hides none of the others' problems: every issue goes into
 * `problems`, and a bad entry is a hole in its list in `file` (the others keep their index, hence their line).
 */
export function validateInventory(y: LocatedYaml, problems: FileProblems): ValidatedInventory {
  const declares = declaredIds(y.data);
  const whole = inventorySchema.safeParse(y.data, { error: validationMessages });
  if (whole.success) return { file: whole.data, declares };
  const file: InventoryFile = { routers: [], customers: [], servers: [], failover_ips: [], blocks: [], portable_blocks: [], vrack: [] };
  const top = topSchema.safeParse(y.data, { error: validationMessages });
  if (!top.success) {
    // a wrong top level (not a mapping, an unknown list): the lists that are right are still checked
    problems.addIssues([], top.error.issues);
    if (!isMapping(y.data)) return { file, declares };
  }
  const data = y.data as Record<string, unknown>;
  for (const section of SECTION_NAMES) {
    const items = data[section];
    if (!Array.isArray(items)) continue;
    const schema: z.ZodType = SECTIONS[section];
    const out = file[section] as unknown[];
    for (let i = 0; i < items.length; i++) {
      const r = schema.safeParse(items[i], { error: validationMessages });
      // by index: forEach skips the holes
      if (r.success) out[i] = r.data;
      else problems.addIssues([section, i], r.error.issues);
    }
  }
  return { file, declares };
}

/** The ids of the raw file's customers and servers, gathered on first use (only a missing reference asks). */
function declaredIds(data: unknown): ValidatedInventory['declares'] {
  let ids: Record<'customers' | 'servers', Set<string>> | null = null;
  return (section, id) => {
    if (ids === null) {
      ids = { customers: new Set(), servers: new Set() };
      for (const k of ['customers', 'servers'] as const) {
        const items = isMapping(data) ? data[k] : undefined;
        if (!Array.isArray(items)) continue;
        for (const item of items) {
          const v = isMapping(item) ? item.id : undefined;
          if (typeof v === 'string' || typeof v === 'number') ids[k].add(String(v));
        }
      }
    }
    return ids[section].has(id);
  };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
