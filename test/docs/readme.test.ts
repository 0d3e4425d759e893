import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchors, isRelative, markdownLinks } from './markdown.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const DOCS = path.join(ROOT, 'docs');
const PAGES = [README, ...readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(DOCS, f))];

describe('README.md: a page a newcomer reads', () => {
  it('has at most 300 lines (the rest lives in docs/)', () => {
    const lines = readFileSync(README, 'utf8').replace(/\n$/, '').split('\n').length;
    expect(lines, 'README.md is longer than 300 lines: move the detail into a page of docs/').toBeLessThanOrEqual(300);
  });

  it('keeps the two quick-start commands and links every page of docs/', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain('bash scripts/setup.sh --demo');
    expect(readme).toMatch(/^npm test\b/m);
    const linked = new Set(markdownLinks(readme).map((l) => path.normalize(l.target.split('#')[0])));
    const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));
    expect(pages.filter((p) => !linked.has(p)), 'pages of docs/ the README does not link').toEqual([]);
  });
});

describe('README.md and docs/*.md: every relative link points at something that exists', () => {
  it.each(PAGES.map((p) => [path.relative(ROOT, p), p]))('%s', (_name, page) => {
    const broken: string[] = [];
    const links = markdownLinks(readFileSync(page, 'utf8')).filter((l) => isRelative(l.target));
    for (const { target, line } of links) {
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = path.resolve(path.dirname(page), decodeURI(file));
      if (!existsSync(resolved)) {
        broken.push(`line ${line}: ${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push(`line ${line}: ${target}: no heading #${anchor} in ${path.relative(ROOT, resolved)}`);
      }
    }
    // same-page anchors too
    const own = headingAnchors(readFileSync(page, 'utf8'));
    for (const { target, line } of markdownLinks(readFileSync(page, 'utf8')).filter((l) => l.target.startsWith('#'))) {
      if (!own.has(target.slice(1))) broken.push(`line ${line}: ${target}: no such heading on this page`);
    }
    expect(broken).toEqual([]);
  });
});
