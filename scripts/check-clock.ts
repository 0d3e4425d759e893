/**
 * Detection and classification run on packet time only, so a replay decides what live decided:
 * no clock read in src/detect/ or src/classify/. dependency-cruiser sees imports, not calls, so this
 * walks each file's syntax tree (comments and strings are not code, so they never match).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const CLOCK_RULE = 'no-clock-in-detection';
export const CLOCK_FOLDERS = ['src/detect', 'src/classify'];

export interface ClockRead {
  file: string;
  line: number;
  column: number;
  /** What was read, e.g. `Date.now`. */
  what: string;
}

/** `object.property` reads that return the time. A reference counts, not only a call: `const now = Date.now` is a clock. */
const CLOCK_PROPERTIES: ReadonlyArray<readonly [string, string]> = [
  ['Date', 'now'],
  ['performance', 'now'],
  ['performance', 'timeOrigin'],
  ['process', 'hrtime'],
  ['process', 'uptime'],
];

/** The clock reads in one file's source text. */
export function clockReads(file: string, text: string): ClockRead[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ClockRead[] = [];
  const report = (node: ts.Node, what: string): void => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ file, line: line + 1, column: character + 1, what });
  };
  const visit = (node: ts.Node): void => {
    const object = ts.isPropertyAccessExpression(node) ? globalName(node.expression) : undefined;
    if (object !== undefined && ts.isPropertyAccessExpression(node)) {
      const property = node.name.text;
      if (CLOCK_PROPERTIES.some(([o, p]) => o === object && p === property)) report(node, `${object}.${property}`);
    } else if (ts.isNewExpression(node) && isDate(node.expression) && (node.arguments?.length ?? 0) === 0) {
      report(node, 'new Date()');
    } else if (ts.isCallExpression(node) && isDate(node.expression)) {
      // Date(...) called without `new` ignores its arguments and returns the current time as a string
      report(node, 'Date()');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The clock reads in every non-test .ts file under the given folders of root. */
export function clockReadsUnder(root: string, folders: readonly string[] = CLOCK_FOLDERS): ClockRead[] {
  return folders
    .flatMap((folder) => tsFiles(root, folder))
    .flatMap((file) => clockReads(file, readFileSync(path.join(root, file), 'utf8')));
}

export function formatClockReads(reads: readonly ClockRead[]): string[] {
  return reads.map((r) => `error ${CLOCK_RULE}: ${r.file}:${r.line}:${r.column} reads the clock (${r.what})`);
}

/** `X` or `globalThis.X`: the name of a global the expression may be. */
function globalName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'globalThis') return node.name.text;
  return undefined;
}

function isDate(node: ts.Expression): boolean {
  return globalName(node) === 'Date';
}

function tsFiles(root: string, folder: string): string[] {
  const entries = readdirSync(path.join(root, folder), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
