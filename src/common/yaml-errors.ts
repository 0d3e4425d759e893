import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from './user-error.js';

export type YamlPath = readonly (string | number)[];

/** A YAML document with what is needed to name the line of any path in it. */
export interface LocatedYaml {
  file: string;
  doc: Document;
  lines: LineCounter;
}

export function parseYamlFile(file: string, text: string): LocatedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = lines.linePos(e.pos[0]).line;
    throw new UserError(`${file}:${line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  return { file, doc, lines };
}

/** The line of the deepest node on `path` that exists (the parent when a key is missing). */
export function lineOf(y: LocatedYaml, path: YamlPath): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? y.doc.contents : y.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return y.lines.linePos(node.range[0]).line;
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
  const r = schema.safeParse(y.doc.toJS() ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues;
  const first = issues[0];
  const path = first.path.filter((p): p is string | number => typeof p !== 'symbol');
  let msg = first.message;
  if (first.code === 'unrecognized_keys') msg = `unknown key${first.keys.length > 1 ? 's' : ''} ${first.keys.map((k) => `"${k}"`).join(', ')}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new UserError(located(y, path, msg) + more);
}
