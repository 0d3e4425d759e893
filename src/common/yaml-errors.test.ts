import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, readUserFile } from './read-user-file.js';
import { UserError } from './user-error.js';
import { lineOf, parseYamlFile, type YamlPath } from './yaml-errors.js';

/** The "billion laughs": each line doubles the one before through aliases. */
function anchorBomb(levels = 30): string {
  const lines = ['a0: &a0 ["lol", "lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
  return lines.join('\n') + '\n';
}

describe('YAML we read: one document, no anchors', () => {
  it('refuses an anchor bomb at once, naming file and line', () => {
    const t0 = performance.now();
    expect(() => parseYamlFile('inv.yaml', anchorBomb())).toThrow(new UserError('inv.yaml:1: YAML anchor &a0: anchors and aliases (&name, *name, <<: *name) are not accepted; write each value out'));
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('refuses any anchor, alias or merge key; an ampersand or asterisk in a value is no anchor', () => {
    expect(() => parseYamlFile('c.yaml', 'a: 1\nb: &x 2\nc: *x\n')).toThrow(/^c\.yaml:2: YAML anchor &x: /);
    expect(() => parseYamlFile('c.yaml', 'base: &b\n  k: 1\nother:\n  <<: *b\n')).toThrow(/^c\.yaml:\d+: YAML anchor &b: /);
    expect(parseYamlFile('c.yaml', 'name: "Tom & Jerry"\nnote: Tom&Jerry *ok*\nlist: ["&a", "*b"]\n').data)
      .toEqual({ name: 'Tom & Jerry', note: 'Tom&Jerry *ok*', list: ['&a', '*b'] });
  });

  it('refuses a second document in one line naming where it starts (not a TypeError)', () => {
    expect(() => parseYamlFile('c.yaml', 'a: 1\n---\nb: 2\n')).toThrow(new UserError('c.yaml:2: a second YAML document ("---"): one document per file'));
    expect(() => parseYamlFile('c.yaml', '# head\n---\na: 1\n---\nb: 2\n')).toThrow(/^c\.yaml:4: a second YAML document/);
    expect(parseYamlFile('c.yaml', '---\na: 1\n').data).toEqual({ a: 1 });
  });
});

describe('the line of a path in a large file', () => {
  const big = (n: number): string => {
    const lines = ['routers:', '  - { ip: 100.127.255.254, mac: "00:00:5e:00:01:01" }', 'servers:'];
    for (let i = 0; i < n; i++) lines.push(`  - id: s${i}`, `    customer: c`, `    ip: 100.64.${i >> 8}.${i & 255}`, `    ips: [1, 2, 3]`);
    return lines.join('\n') + '\n';
  };

  it('locating by subtree names the same lines as the whole-file parse', () => {
    const text = big(300);
    const paths: YamlPath[] = [['servers', 0, 'id'], ['servers', 123, 'ip'], ['servers', 299, 'ips', 2], ['servers', 5, 'missing'], ['servers', 7], ['routers', 0, 'mac'], ['nothing'], []];
    const whole = parseYamlFile('w.yaml', text);
    const sub = { ...parseYamlFile('s.yaml', text), wholeLocateMax: 1000 };
    for (const p of paths) expect([p, lineOf(sub, p)]).toEqual([p, lineOf(whole, p)]);
    expect(lineOf(sub, ['servers', 123, 'ip'])).toBe(3 + 123 * 4 + 3);
  });

  it('a typo in a 100,000-server file is located in seconds, not minutes', () => {
    const y = parseYamlFile('big.yaml', big(100_000));
    const t0 = performance.now();
    expect(lineOf(y, ['servers', 99_999, 'ip'])).toBe(3 + 99_999 * 4 + 3);
    expect(lineOf(y, ['servers', 50_000, 'customer'])).toBe(3 + 50_000 * 4 + 2);
    expect(performance.now() - t0).toBeLessThan(8000);
  }, 20_000);
});

describe('readUserFile', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hfiles-read-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('refuses a file over its cap with the limit in the line; reads one under it', () => {
    const f = path.join(tmp, 'c.yaml');
    fs.writeFileSync(f, 'x'.repeat(MAX_CONFIG_BYTES + 1));
    expect(() => readUserFile(f, MAX_CONFIG_BYTES, 'a configuration')).toThrow(new UserError(`${f}: 1,048,577 bytes, more than the 1 MiB a configuration may be`));
    fs.writeFileSync(f, 'a: 1\n');
    expect(readUserFile(f, MAX_CONFIG_BYTES, 'a configuration')).toBe('a: 1\n');
  });

  it('a device that never ends is cut at the cap, not read forever', () => {
    expect(() => readUserFile('/dev/zero', 4096, 'a configuration')).toThrow(new UserError('/dev/zero: more than the 4,096 bytes a configuration may be'));
    expect(() => readUserFile(tmp, 4096, 'a configuration')).toThrow(new UserError(`${tmp}: is a directory`));
    expect(() => readUserFile(path.join(tmp, 'none'), 4096, 'a configuration')).toThrow(new UserError(`${path.join(tmp, 'none')}: no such file`));
  });
});
