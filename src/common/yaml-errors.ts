import jsYaml from 'js-yaml';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from './user-error.js';
import { validationMessages } from './validation-messages.js';

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

/** One thing wrong in a file: where, what, and where the other party of a contradiction is. */
export interface Problem {
  path: YamlPath;
  what: string;
  /** the other party's node, named with its line */
  see?: { path: YamlPath; what: string };
}

/** Every problem of one file, collected while validating; located (file:line) only when reported. */
export class FileProblems {
  readonly list: Problem[] = [];
  constructor(readonly y: LocatedYaml) {}

  add(path: YamlPath, what: string, see?: Problem['see']): void {
    this.list.push(see === undefined ? { path, what } : { path, what, see });
  }

  /** zod's issues of a value at `base`, in our words */
  addIssues(base: YamlPath, issues: readonly z.core.$ZodIssue[]): void {
    for (const i of issues) this.add([...base, ...i.path.filter((p): p is string | number => typeof p !== 'symbol')], i.message);
  }

  get size(): number { return this.list.length; }

  /** "FILE:LINE: path: what", in the order of the file's lines */
  located(): string[] {
    const rows = this.list.map((p, i) => {
      const line = lineOf(this.y, p.path);
      const see = p.see === undefined ? '' : ` (${p.see.what}: line ${lineOf(this.y, p.see.path)})`;
      return { line, i, text: `${this.y.file}:${line}: ${pathText(p.path)}: ${p.what}${see}` };
    });
    rows.sort((a, b) => a.line - b.line || a.i - b.i);
    return rows.map((r) => r.text);
  }
}

/** A file with problems: the message is the first one and how many more; `problems` has them all, in line order. */
export class InvalidFileError extends UserError {
  constructor(readonly file: string, readonly problems: readonly string[], moreHint: string) {
    const n = problems.length - 1;
    super(problems[0] + (n > 0 ? ` (and ${n} more${moreHint === '' ? ` problem${n > 1 ? 's' : ''}` : `: ${moreHint}`})` : ''));
  }
}

/** Validates with a zod schema, in our words; every issue is collected, the first becomes a one-line UserError naming file, line and path. */
export function parseWith<S extends z.ZodType>(y: LocatedYaml, schema: S): z.infer<S> {
  const r = schema.safeParse(y.data, { error: validationMessages });
  if (r.success) return r.data;
  const problems = new FileProblems(y);
  problems.addIssues([], r.error.issues);
  throw new InvalidFileError(y.file, problems.located(), '');
}
