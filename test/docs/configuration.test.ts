import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema, defaultConfig } from '../../src/config/schema.js';

const PAGE = path.join(import.meta.dirname, '..', '..', 'docs', 'configuration.md');

/** Every leaf key of a schema, dotted (`detector.thresholds.flip_flop`). */
function leafKeys(schema: z.ZodType, prefix: string): string[] {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType; // an object then a transform: its keys are the input's
    else break;
  }
  if (!(s instanceof z.ZodObject)) return [prefix];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leafKeys(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** A default as the page writes it: numbers and booleans bare, strings and lists in code, none when there is none. */
function written(v: unknown): string {
  if (v === undefined) return 'none';
  if (typeof v === 'string' || Array.isArray(v)) return `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
  return String(v);
}

function valueAt(obj: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** `| \`key\` | cell | ...` rows of the page: key → second cell. */
function rows(md: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of md.matchAll(/^\| `([a-z_][a-z0-9_]*\.[a-z0-9_.]+)` \| ([^|]*?) \|/gm)) m.set(r[1], r[2]);
  return m;
}

describe('docs/configuration.md documents the schema', () => {
  const md = readFileSync(PAGE, 'utf8');
  const table = rows(md);
  const defaults = defaultConfig();
  const keys = leafKeys(configSchema, '');

  it('walks the whole schema (a sanity check on the walk itself)', () => {
    expect(keys).toContain('detector.window_seconds');
    expect(keys).toContain('smtp.pass');
    expect(keys.length).toBeGreaterThan(35);
  });

  it('has a row for every key, with its default', () => {
    // a key the page lists as renamed is documented under its new name (the old/new table)
    const renamed = new Map([...md.matchAll(/^\| `([a-z_.]+)` \| `([a-z_.]+)` \|$/gm)].map((r) => [r[1], r[2]]));
    const wrong: string[] = [];
    for (const key of keys) {
      // before the rename the schema holds the old key: its default must stand under the new one;
      // after it, an old key the schema keeps only to refuse it has no default to compare
      if (renamed.has(key) && keys.includes(renamed.get(key)!)) continue;
      const documented = renamed.get(key) ?? key;
      const cell = table.get(documented);
      const want = written(valueAt(defaults, key));
      if (cell !== want) wrong.push(`${key}: page says ${cell === undefined ? 'nothing' : JSON.stringify(cell)}, schema default ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it('names no key the schema does not have, except the renamed ones', () => {
    const renamedFrom = new Set([...md.matchAll(/^\| `([a-z_.]+)` \| `([a-z_.]+)` \|$/gm)].map((r) => r[1]));
    const renamedTo = new Set([...md.matchAll(/^\| `([a-z_.]+)` \| `([a-z_.]+)` \|$/gm)].map((r) => r[2]));
    const known = new Set(keys);
    const extra = [...table.keys()].filter((k) => !known.has(k) && !renamedFrom.has(k) && !renamedTo.has(k));
    expect(extra).toEqual([]);
  });
});
