/** What the docs tests need of Markdown: links outside code, and GitHub's heading anchors. */

export interface Link {
  target: string;
  line: number;
}

/** The lines that are prose: fenced code blocks blanked (kept as empty lines, so line numbers hold). */
function proseLines(md: string): string[] {
  let fence: string | null = null;
  return md.split('\n').map((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === null) {
      if (m !== null) {
        fence = m[1];
        return '';
      }
      return line;
    }
    if (m !== null && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
    return '';
  });
}

/** Every inline link and image `[text](target)` outside code; inline code spans are skipped. */
export function markdownLinks(md: string): Link[] {
  const links: Link[] = [];
  proseLines(md).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1], line: i + 1 });
  });
  return links;
}

/** A link to a file of this repository (not a URL, not mail, not a bare #anchor). */
export function isRelative(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('//');
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
export function headingAnchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(md)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m === null) continue;
    const base = m[1].toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}
