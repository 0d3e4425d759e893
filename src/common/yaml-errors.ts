import jsYaml from 'js-yaml';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from './user-error.js';
import { validationMessages } from './validation-messages.js';

export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that can name the line of any path in it. js-yaml reads
 * it (an inventory of 100,000 servers in about a second); only when something
 * is wrong is it read again to find the line (see lineOf).
 */
export interface LocatedYaml {
  file: string;
  text: string;
  data: unknown;
  /** files up to this many characters are located by `yaml` over the whole text; larger ones by their subtrees (tests lower it) */
  wholeLocateMax?: number;
  located?: { doc: Document; lines: LineCounter };
  subtrees?: SubtreeIndex;
  /** a reader that knew each top-level list entry's line (one entry per line) answers for the paths inside one */
  entryLine?: (section: string, index: number) => number | null;
}

/**
 * Under this size `yaml`'s parse of the whole file (with node positions) is quick: about 2 s and
 * 280 MiB a 2 MiB file, 37 s and 1.8 GiB a 23 MiB one. Above it, only the subtree that holds the path is.
 */
export const WHOLE_LOCATE_MAX = 256 * 1024;
/** A subtree larger than this is not parsed again: its own first line is named. */
const SUBTREE_LOCATE_MAX = 1024 * 1024;

/**
 * Refuses anchors (and so aliases, which need one, and merge keys): an alias expands without
 * copying in the parse, but every consumer walks each expansion, and a few hundred KB of nested
 * aliases are gigabytes (the "billion laughs"). js-yaml calls this for every node it has read.
 */
function refuseAnchors(file: string): NonNullable<jsYaml.LoadOptions['listener']> {
  return (event, state) => {
    // the node's anchor property, which js-yaml's type definitions leave out
    const anchor = (state as jsYaml.State & { anchor?: string | null }).anchor;
    if (event === 'close' && typeof anchor === 'string') throw new AnchorError(file, state.line + 1, anchor);
  };
}

class AnchorError extends UserError {
  constructor(file: string, line: number, anchor: string) {
    super(`${file}:${line}: YAML anchor &${anchor}: anchors and aliases (&name, *name, <<: *name) are not accepted; write each value out`);
  }
}

export function parseYamlFile(file: string, text: string): LocatedYaml {
  try {
    return { file, text, data: jsYaml.load(text, { filename: file, listener: refuseAnchors(file) }) ?? {} };
  } catch (e) {
    if (e instanceof AnchorError) throw e;
    if (e instanceof jsYaml.YAMLException) {
      if (/single document/.test(e.reason ?? e.message)) throw new UserError(`${file}:${secondDocumentLine(text)}: a second YAML document ("---"): one document per file`);
      if (e.mark === undefined || e.mark === null) throw new UserError(`${file}: not valid YAML: ${e.reason ?? e.message}`);
      throw new UserError(`${file}:${e.mark.line + 1}: not valid YAML: ${e.reason}`);
    }
    throw e;
  }
}

/** The line of the marker that starts a second document: a `---` after some content (the first may open the file). */
function secondDocumentLine(text: string): number {
  const lines = text.split('\n');
  let content = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^(---|\.\.\.)(\s|$)/.test(l)) {
      if (content || l.startsWith('...')) return i + 1;
      content = true;
      continue;
    }
    if (!/^\s*(#.*)?$/.test(l) && !l.startsWith('%')) content = true;
  }
  return 1;
}

/** The line of the deepest node on `path` that exists (the parent when a key is missing). */
export function lineOf(y: LocatedYaml, path: YamlPath): number {
  if (y.entryLine !== undefined && typeof path[0] === 'string' && typeof path[1] === 'number') {
    const line = y.entryLine(path[0], path[1]);
    if (line !== null) return line;
  }
  if (y.text.length > (y.wholeLocateMax ?? WHOLE_LOCATE_MAX)) {
    y.subtrees ??= indexSubtrees(y);
    return y.subtrees.lineOf(path);
  }
  if (y.located === undefined) {
    const lines = new LineCounter();
    y.located = { doc: parseDocument(y.text, { lineCounter: lines }), lines };
  }
  const { doc, lines } = y.located;
  return lineIn(doc, lines, path) ?? 1;
}

function lineIn(doc: Document, lines: LineCounter, path: YamlPath): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return null;
}

/** Where each mapping and sequence of a large file starts and ends, from a second js-yaml read: linear in time, a map entry per collection. */
interface SubtreeIndex { lineOf(path: YamlPath): number }

function indexSubtrees(y: LocatedYaml): SubtreeIndex {
  const spans = new Map<object, { start: number; line: number; end: number }>();
  const open: { position: number; line: number }[] = [];
  const listener = (event: jsYaml.EventType, state: jsYaml.State): void => {
    if (event === 'open') {
      open.push({ position: state.position, line: state.line });
      return;
    }
    const o = open.pop();
    const result: unknown = state.result;
    if (o !== undefined && result !== null && typeof result === 'object' && !spans.has(result)) {
      spans.set(result, { start: o.position, line: o.line + 1, end: state.position });
    }
  };
  const data: unknown = jsYaml.load(y.text, { listener });
  return {
    lineOf(path) {
      // the deepest collection on the path, then the rest of the path inside its text only
      let node: unknown = data;
      let depth = 0;
      let span = spans.get(data as object);
      while (depth < path.length && node !== null && typeof node === 'object') {
        const next: unknown = (node as Record<string | number, unknown>)[path[depth]];
        if (next === null || typeof next !== 'object' || !spans.has(next)) break;
        node = next;
        span = spans.get(next);
        depth++;
      }
      if (span === undefined) return 1;
      if (depth === path.length || span.end - span.start > SUBTREE_LOCATE_MAX) return span.line;
      // the subtree's text, its first line padded where it began mid-line ("- " of a list item), so its indentation holds
      const lineStart = y.text.lastIndexOf('\n', span.start - 1) + 1;
      const text = ' '.repeat(span.start - lineStart) + y.text.slice(span.start, span.end);
      const lines = new LineCounter();
      const inner = lineIn(parseDocument(text, { lineCounter: lines }), lines, path.slice(depth));
      return inner === null ? span.line : span.line + inner - 1;
    },
  };
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
