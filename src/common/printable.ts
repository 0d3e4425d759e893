/**
 * Text from files, Redis or the wire made safe for one terminal or log line: control characters
 * (ANSI escapes, CR, LF, tabs, C1), Unicode line and paragraph separators and the bidirectional
 * overrides are written as JSON writes them (`\u001b`, `\r`, `\n`), so a customer's name cannot
 * move the cursor, forge a log line or reverse the text after it. Everything else stays as it is.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

export function printable(s: string): string {
  // the common case, no character to escape, allocates nothing
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(s) ? s.replace(UNPRINTABLE, escape) : s;
}

/** Each line of a block of text made printable, the line breaks between them kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
