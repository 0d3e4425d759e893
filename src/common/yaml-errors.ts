import jsYaml from 'js-yaml';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from './user-error.js';

export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that can name the line of any path in it. js-yaml reads
 * it (an inventory of 100,000 servers in about a second); only when something
 * is wrong does `yaml`, slower but with node positions, read it again to find the line.
 */
export interface LocatedYaml {
  file: string;
  text: string;
  data: unknown;
  located?: { doc: Document; lines: LineCounter };
}

export function parseYamlFile(file: string, text: string): LocatedYaml {
  try {
    return { file, text, data: jsYaml.load(text, { filename: file }) ?? {} };
  } catch (e) {
    if (e instanceof jsYaml.YAMLException) throw new UserError(`${file}:${e.mark.line + 1}: not valid YAML: ${e.reason}`);
    throw e;
  }
}

/** The line of the deepest node on `path` that exists (the parent when a key is missing). */
export function lineOf(y: LocatedYaml, path: YamlPath): number {
  if (y.located === undefined) {
    const lines = new LineCounter();
    y.located = { doc: parseDocument(y.text, { lineCounter: lines }), lines };
  }
  const { doc, lines } = y.located;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

export function pathText(path: YamlPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';
}

/** "FILE:LINE: path: what is wrong" */
export function located(y: LocatedYaml, path: YamlPath, what: string): string {
  return `${y.file}:${lineOf(y, path)}: ${pathText(path)}: ${what}`;
}

/** Validates with a zod schema; the first issue becomes a one-line UserError naming file, line and path. */
export function parseWith<S extends z.ZodType>(y: LocatedYaml, schema: S): z.infer<S> {
  const r = schema.safeParse(y.data);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const first = issues[0];
  const path = first.path.filter((p): p is string | number => typeof p !== 'symbol');
  let msg = first.message;
  if (first.code === 'unrecognized_keys') msg = `unknown key${first.keys.length > 1 ? 's' : ''} ${first.keys.map((k) => `"${k}"`).join(', ')}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new UserError(located(y, path, msg) + more);
}
