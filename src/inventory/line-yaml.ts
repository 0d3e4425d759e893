/**
 * A fast reader for the inventory's usual shape: top-level lists with one entry per line
 * (`  - { id: srv-1, ip: 192.0.2.1, mac: "0c:c4:7a:00:00:01" }` or `  - 192.0.2.0/24`), comments, blank lines.
 * It reads only what it is sure js-yaml reads the same way (simple plain scalars, quoted strings without
 * escapes) and answers null for anything else, so the caller parses the file with js-yaml: the result and
 * every error message (file and line) stay those of the full parser. About five times faster than js-yaml.
 */
import jsYaml from 'js-yaml';

export interface LineYaml {
  data: Record<string, unknown>;
  /** the line (1-based) of entry i of a top-level list: every path below it is on that line */
  entryLine(section: string, index: number): number | null;
}

const KEY = /^[a-z][a-z_]*$/;
/** plain scalars js-yaml reads as these strings: a word, an IPv4 address or CIDR, a dashed MAC (no null, bool or number word) */
const WORD = /^[A-Za-z][A-Za-z0-9._@+/-]*(?: [A-Za-z0-9._@+/-]+)*$/;
const DOTTED = /^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/;
/** a MAC written with dashes */
const DASHED_MAC = /^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
/** inside quotes: printable ASCII and any non-control character but the quote and the backslash */
const QUOTED_OK = /^[^\p{Cc}"'\\\u2028\u2029\ufeff]*$/u;
const FAIL = Symbol('not the simple shape');
/** what an entry callback answers to give up on the fast path */
export const NOT_SIMPLE: unknown = FAIL;
type Scalar = string | number | boolean;

/**
 * `keep` may turn each entry into what is stored for it (validate it: the raw entry is garbage at once,
 * not a second tree of 300,000 objects), or answer NOT_SIMPLE to give up.
 */
export function parseLineYaml(text: string, keep?: (section: string, value: unknown) => unknown): LineYaml | null {
  if (text.includes('\r') || text.includes('\t') || text.charCodeAt(0) === 0xfeff) return null;
  const data: Record<string, unknown> = {};
  const lines = new Map<string, number[]>();
  let section: string | null = null;
  let items: unknown[] | null = null;
  let itemLines: number[] = [];
  let indent = -1;
  /** `key: []` closes its list: an entry after it is not the simple shape */
  let closed = false;
  let start = 0;
  for (let n = 1; start <= text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    let i = 0;
    while (i < line.length && line.charCodeAt(i) === 32) i++;
    if (i === line.length || line.charCodeAt(i) === 35 /* # */) continue;
    if (i === 0) {
      const head = sectionHeader(line);
      if (head === null || Object.hasOwn(data, head.key)) return null;
      const key = head.key;
      section = key;
      items = null;
      itemLines = [];
      indent = -1;
      closed = head.closed;
      data[key] = closed ? [] : null;
      lines.set(key, itemLines);
      continue;
    }
    // an entry of the current list, each at the same indentation
    if (section === null || closed || line.charCodeAt(i) !== 45 /* - */ || line.charCodeAt(i + 1) !== 32) return null;
    if (indent < 0) indent = i;
    else if (indent !== i) return null;
    const raw = lineEntry(line.slice(i + 2));
    if (raw === FAIL) return null;
    const value = keep === undefined ? raw : keep(section, raw);
    if (value === FAIL) return null;
    if (items === null) { items = []; data[section] = items; }
    items.push(value);
    itemLines.push(n);
  }
  return { data, entryLine: (s, index) => lines.get(s)?.[index] ?? null };
}

/**
 * A top-level line (no indentation, not blank nor a comment): `key:` (a list whose entries follow) or `key: []`
 * (closed: `closed`); null when it is anything else. The caller refuses a key seen before.
 */
export function sectionHeader(line: string): { key: string; closed: boolean } | null {
  const colon = line.indexOf(':');
  if (colon < 0) return null;
  const key = line.slice(0, colon);
  if (!KEY.test(key)) return null;
  const rest = stripComment(line.slice(colon + 1));
  if (rest === '') return { key, closed: false };
  if (rest === '[]') return { key, closed: true };
  return null;
}

/**
 * What follows an entry's `- `: `{ k: v, ... }` (a flow mapping on its line), or a scalar; a nested flow collection
 * goes to js-yaml, that line alone; NOT_SIMPLE when it is not the simple shape.
 */
export function lineEntry(body: string): unknown {
  if (body.startsWith('{')) {
    const close = body.lastIndexOf('}');
    if (close < 0 || stripComment(body.slice(close + 1)) !== '') return FAIL;
    const inner = body.slice(1, close);
    if (/[{}[\]]/.test(inner)) return nested(body.slice(0, close + 1));
    return mapping(inner);
  }
  const s = stripComment(body);
  return s === null ? FAIL : scalar(s);
}

function mapping(inner: string): Record<string, Scalar> | typeof FAIL {
  const out: Record<string, Scalar> = {};
  if (inner.trim() === '') return out;
  let p = 0;
  while (p < inner.length) {
    while (inner.charCodeAt(p) === 32) p++;
    const colon = inner.indexOf(': ', p);
    if (colon < 0) return FAIL;
    const key = knownKey(inner, p, colon) ?? inner.slice(p, colon);
    if (!KEY.test(key) || Object.hasOwn(out, key)) return FAIL;
    p = colon + 2;
    while (inner.charCodeAt(p) === 32) p++;
    let raw: string;
    const q = inner.charCodeAt(p);
    if (q === 34 || q === 39) {
      const endQ = inner.indexOf(q === 34 ? '"' : "'", p + 1);
      if (endQ < 0) return FAIL;
      raw = inner.slice(p, endQ + 1);
      p = endQ + 1;
      while (inner.charCodeAt(p) === 32) p++;
      if (p < inner.length && inner.charCodeAt(p) !== 44) return FAIL;
    } else {
      let comma = inner.indexOf(',', p);
      if (comma < 0) comma = inner.length;
      raw = inner.slice(p, comma).trimEnd();
      p = comma;
    }
    const v = scalar(raw);
    if (v === FAIL) return FAIL;
    out[key] = v;
    if (p < inner.length) {
      p++; // the comma
      if (blankFrom(inner, p)) return FAIL;
    }
  }
  return out;
}

/** the inventory's keys: one of these is taken as the literal (interned once), not sliced and interned again for each entry */
const KNOWN_KEYS = ['id', 'ip', 'mac', 'server', 'gateway', 'customer', 'vlan', 'virtual_mac', 'muted', 'email', 'name', 'locale', 'cidr', 'split', 'members'];

function knownKey(s: string, from: number, to: number): string | null {
  const n = to - from;
  for (let i = 0; i < KNOWN_KEYS.length; i++) {
    const k = KNOWN_KEYS[i];
    if (k.length === n && s.startsWith(k, from)) return k;
  }
  return null;
}

/** nothing but whitespace from `from` on (what `s.slice(from).trim() === ''` says, without the slice) */
function blankFrom(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12 && c !== 0xa0 && c !== 0xfeff && !(c >= 0x2000 && c <= 0x200a) && c !== 0x1680 && c !== 0x2028 && c !== 0x2029 && c !== 0x202f && c !== 0x205f && c !== 0x3000) return false;
  }
  return true;
}

function scalar(raw: string): Scalar | typeof FAIL {
  const q = raw.charCodeAt(0);
  if (q === 34 || q === 39) {
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== q) return FAIL;
    const s = raw.slice(1, -1);
    return QUOTED_OK.test(s) ? s : FAIL;
  }
  if (DECIMAL.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (NOT_STRINGS.has(raw)) return FAIL;
  if (WORD.test(raw) || DOTTED.test(raw) || DASHED_MAC.test(raw)) return raw;
  return FAIL;
}

/** A line with a nested flow collection (a split block's members): js-yaml reads that line, no anchors, nothing after it. */
function nested(flow: string): unknown {
  if (/[&*!|>%`@]/.test(flow.replace(/"[^"\\]*"/g, '""'))) return FAIL;
  try {
    const v: unknown = jsYaml.load(flow, { json: false });
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : FAIL;
  } catch {
    return FAIL;
  }
}

/** The text before a ` #` comment, trimmed; null when a quote or a bracket makes it unclear. */
function stripComment(s: string): string | null {
  const hash = s.indexOf('#');
  if (hash < 0) return s.trim();
  if (hash > 0 && s.charCodeAt(hash - 1) !== 32) return null;
  const before = s.slice(0, hash);
  return /["']/.test(before) ? null : before.trim();
}
