import { describe, expect, it } from 'vitest';
import { headingAnchors, isRelative, markdownLinks } from './markdown.js';

describe('markdown helpers of the docs tests', () => {
  it('finds links in prose, not in code blocks or code spans', () => {
    const md = ['see [a](docs/a.md) and ![img](x.png "t")', '```sh', '[b](nope.md)', '```', 'a `[c](nope.md)` span, [d](https://x.org/y)'].join('\n');
    expect(markdownLinks(md)).toEqual([
      { target: 'docs/a.md', line: 1 }, { target: 'x.png', line: 1 }, { target: 'https://x.org/y', line: 5 },
    ]);
  });

  it('tells files of the repository from URLs, mail and same-page anchors', () => {
    expect(['../README.md', 'docs/x.md#y', 'https://a', 'mailto:a@b', '#top'].map(isRelative)).toEqual([true, true, false, false, false]);
  });

  it('gives headings the anchors GitHub gives them', () => {
    const md = '# Replay, explain, capture\n## `detector.thresholds`: one per signal\n## Why our own capture addon\n## Notes\n## Notes\n```\n# not a heading\n```\n';
    expect([...headingAnchors(md)]).toEqual([
      'replay-explain-capture', 'detectorthresholds-one-per-signal', 'why-our-own-capture-addon', 'notes', 'notes-1',
    ]);
  });
});
