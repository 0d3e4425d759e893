/**
 * The email as a small document (headings, paragraphs, lists, value tables,
 * monospace blocks), written once per case and locale and rendered twice:
 * plain text and HTML. Every string that reaches the HTML goes through
 * `escapeHtml`, template text and inventory values alike, so nothing from the
 * job can inject markup.
 */

/** A run of prose, or a value/command shown as code (never broken across lines in the text part). */
export type Inline = string | { code: string };

export type Block =
  | { kind: 'h'; text: string }
  | { kind: 'h3'; text: string }
  | { kind: 'p'; parts: Inline[] }
  | { kind: 'ul'; items: Inline[][] }
  /** label → value rows: the customer's own values */
  | { kind: 'kv'; rows: Array<[string, Inline[]]> }
  /** verbatim lines (tcpdump output, configuration, commands): monospace, never wrapped in the text part; wrapped to the box in the HTML */
  | { kind: 'pre'; lines: string[] }
  /** prose lines kept as they are (the signature) */
  | { kind: 'lines'; lines: string[] };

export const code = (text: string): Inline => ({ code: text });

/** what a template literal may interpolate: prose, code, a number, or inline content built elsewhere */
type Part = Inline | number | Inline[];

/** Inline content from a template literal: interpolated strings are prose, `code(...)` values are code, arrays are spliced in. */
export function t(strings: TemplateStringsArray, ...values: Part[]): Inline[] {
  const out: Inline[] = [];
  strings.forEach((s, i) => {
    if (s !== '') out.push(s);
    if (i < values.length) {
      const v = values[i];
      if (Array.isArray(v)) out.push(...v);
      else out.push(typeof v === 'number' ? String(v) : v);
    }
  });
  return out;
}

export const p = (strings: TemplateStringsArray, ...values: Part[]): Block => ({ kind: 'p', parts: t(strings, ...values) });
export const para = (parts: Inline[]): Block => ({ kind: 'p', parts });
export const h = (text: string): Block => ({ kind: 'h', text });
export const h3 = (text: string): Block => ({ kind: 'h3', text });
export const ul = (...items: Inline[][]): Block => ({ kind: 'ul', items });
export const kv = (...rows: Array<[string, Inline[]]>): Block => ({ kind: 'kv', rows });
export const pre = (lines: string[]): Block => ({ kind: 'pre', lines });
export const lines = (ls: string[]): Block => ({ kind: 'lines', lines: ls });

/** A list of values in prose: "a, b and c" (the conjunction is the locale's). */
export function joinList(items: Inline[], and: string): Inline[] {
  const out: Inline[] = [];
  items.forEach((it, i) => {
    if (i > 0) out.push(i === items.length - 1 ? ` ${and} ` : ', ');
    out.push(it);
  });
  return out;
}

// ---------------------------------------------------------------- text

const WIDTH = 72;

/** What rendering needs of the email's locale: its code (the HTML's lang) and its typography, applied to prose only. */
export interface DocLocale {
  lang: string;
  typography(s: string): string;
}

/** Words of a paragraph: prose splits on spaces, a code run is one unbreakable word. */
function words(parts: Inline[], locale: DocLocale): string[] {
  // glue the parts into one string where code runs have their spaces protected, then split
  const MARK = '\u0000';
  const glued = parts.map((x) => (typeof x === 'string' ? locale.typography(x) : x.code.replaceAll(' ', MARK))).join('');
  return glued.split(/[ \n]+/).filter((w) => w !== '').map((w) => w.replaceAll(MARK, ' '));
}

function wrap(ws: string[], first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of ws) {
    if (!empty && line.length + 1 + w.length > WIDTH) {
      lines.push(line);
      line = rest + w;
    } else {
      line += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

export function toText(blocks: Block[], locale: DocLocale): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'h':
      case 'h3': {
        const title = locale.typography(b.text);
        out.push('', title, (b.kind === 'h' ? '-' : '~').repeat(title.length));
        break;
      }
      case 'p':
        out.push('', ...wrap(words(b.parts, locale), '', ''));
        break;
      case 'ul':
        out.push('');
        for (const item of b.items) out.push(...wrap(words(item, locale), '  - ', '    '));
        break;
      case 'kv': {
        const labels = b.rows.map(([l]) => locale.typography(l));
        const w = Math.max(...labels.map((l) => l.length)) + 3;
        out.push('');
        b.rows.forEach(([, value], i) => {
          const head = `    ${labels[i].padEnd(w)}`;
          out.push(...wrap(words(value, locale), head, ' '.repeat(head.length)));
        });
        break;
      }
      case 'pre':
        out.push('', ...b.lines.map((l) => (l === '' ? '' : `    ${l}`)));
        break;
      case 'lines':
        out.push('', ...b.lines.map((l) => locale.typography(l)));
        break;
    }
  }
  while (out[0] === '') out.shift();
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- HTML

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

const MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace";
const STYLE = {
  body: 'margin:0;padding:16px;font-family:-apple-system,BlinkMacSystemFont,\'Segoe UI\',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2328;background:#ffffff',
  wrap: 'max-width:760px;min-width:0',
  h2: 'font-size:17px;margin:24px 0 8px;padding-bottom:4px;border-bottom:1px solid #d0d7de',
  h3: 'font-size:15px;margin:16px 0 4px',
  p: 'margin:8px 0',
  // code and <pre> wrap, even inside a word (a MAC, a long command): a tcpdump line is wider than a
  // phone, and a box that scrolls sideways hides its end, where `who-has X tell F` is
  code: `${MONO};font-size:13px;background:#f6f8fa;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere`,
  pre: `${MONO};font-size:12px;line-height:1.45;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0;white-space:pre-wrap;overflow-wrap:anywhere`,
  table: 'border-collapse:collapse;margin:8px 0',
  th: 'text-align:left;vertical-align:top;font-weight:600;padding:3px 16px 3px 0;white-space:nowrap',
  td: 'vertical-align:top;padding:3px 0',
};

function inlineHtml(parts: Inline[], locale: DocLocale): string {
  return parts
    .map((x) => (typeof x === 'string' ? escapeHtml(locale.typography(x)) : `<code style="${STYLE.code}">${escapeHtml(x.code)}</code>`))
    .join('');
}

export function toHtml(blocks: Block[], locale: DocLocale, title: string): string {
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'h':
        body.push(`<h2 style="${STYLE.h2}">${escapeHtml(locale.typography(b.text))}</h2>`);
        break;
      case 'h3':
        body.push(`<h3 style="${STYLE.h3}">${escapeHtml(locale.typography(b.text))}</h3>`);
        break;
      case 'p':
        body.push(`<p style="${STYLE.p}">${inlineHtml(b.parts, locale)}</p>`);
        break;
      case 'ul':
        body.push(`<ul>${b.items.map((i) => `<li>${inlineHtml(i, locale)}</li>`).join('')}</ul>`);
        break;
      case 'kv':
        body.push(
          `<table style="${STYLE.table}">${b.rows
            .map(([l, v]) => `<tr><th style="${STYLE.th}">${escapeHtml(locale.typography(l))}</th><td style="${STYLE.td}">${inlineHtml(v, locale)}</td></tr>`)
            .join('')}</table>`,
        );
        break;
      case 'pre':
        body.push(`<pre style="${STYLE.pre}">${b.lines.map(escapeHtml).join('\n')}</pre>`);
        break;
      case 'lines':
        body.push(`<p style="${STYLE.p}">${b.lines.map((l) => escapeHtml(locale.typography(l))).join('<br>')}</p>`);
        break;
    }
  }
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale.lang}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>`,
    `<body style="${STYLE.body}"><div style="${STYLE.wrap}">`,
    ...body,
    '</div></body>',
    '</html>',
    '',
  ].join('\n');
}
