import fs from 'node:fs';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { TEST_INVENTORY } from '../../test/helpers/arp.js';
import { parseLineYaml } from './line-yaml.js';

const js = (text: string): unknown => jsYaml.load(text) ?? {};

describe('parseLineYaml: the one-entry-per-line inventory, read as js-yaml reads it', () => {
  it.each([
    ['the fixtures\' inventory', fs.readFileSync('fixtures/inventory.yaml', 'utf8')],
    ['the tests\' inventory', TEST_INVENTORY],
  ])('%s: the same data as js-yaml, each entry\'s line', (_what, text) => {
    const fast = parseLineYaml(text);
    expect(fast).not.toBeNull();
    expect(fast!.data).toEqual(js(text));
    const lines = text.split('\n');
    const line = fast!.entryLine('servers', 1)!;
    expect(lines[line - 1]).toMatch(/^\s*- \{ id: /);
    expect(fast!.entryLine('servers', 10_000)).toBeNull();
  });

  it('the bench\'s shapes: split blocks with members on their line, empty lists, comments after entries', () => {
    const text = [
      '# a comment', 'routers:', '  - { ip: 192.0.2.254, mac: "00:00:5e:00:01:01" } # the gateway', 'customers:',
      '  - { id: c-0001, email: noc-c-0001@example.net, name: Customer c-0001, locale: fr, muted: true }',
      'servers:', '', '  # indented comment',
      '  - { id: 12345, customer: c-0001, ip: 192.0.2.1, mac: \'0c:c4:7a:00:00:01\', gateway: 192.0.2.254, vlan: 0 }',
      'blocks:', '  - { cidr: 192.0.2.64/27, split: true, members: [ { ip: 192.0.2.65, server: srv-1 }, { ip: 192.0.2.66, server: srv-2, virtual_mac: "02:00:01:00:00:00" } ] }',
      'portable_blocks:', 'vrack: []', 'extra:', '  - 100.64.0.0/10', '  - "x, y"', '',
    ].join('\n');
    const fast = parseLineYaml(text);
    expect(fast).not.toBeNull();
    expect(fast!.data).toEqual(js(text));
    expect(fast!.entryLine('blocks', 0)).toBe(11);
  });

  // each of these is read by js-yaml instead (a different value, an error, an anchor): the fast reader must not guess
  it.each([
    ['an anchor', 'servers:\n  - { id: &a x }\n'],
    ['an alias', 'servers:\n  - { id: *a }\n'],
    ['a second document', 'servers: []\n---\nservers: []\n'],
    ['a null word', 'servers:\n  - { id: null }\n'],
    ['a capitalised bool', 'servers:\n  - { muted: True }\n'],
    ['a float', 'servers:\n  - { vlan: 1e3 }\n'],
    ['a leading zero', 'servers:\n  - { vlan: 0100 }\n'],
    ['a negative number', 'servers:\n  - { vlan: -1 }\n'],
    ['a date', 'servers:\n  - { id: 2024-01-01 }\n'],
    ['an escape in quotes', 'servers:\n  - { name: "a\\u2028b" }\n'],
    ['a duplicate key', 'servers:\n  - { id: a, id: b }\n'],
    ['a duplicate list', 'servers: []\nservers: []\n'],
    ['a multi-line flow mapping', 'servers:\n  - { id: a,\n      ip: 192.0.2.1 }\n'],
    ['a block mapping entry', 'servers:\n  - id: a\n    ip: 192.0.2.1\n'],
    ['uneven indentation', 'servers:\n  - { id: a }\n    - { id: b }\n'],
    ['a CRLF file', 'servers:\r\n  - { id: a }\r\n'],
    ['a tab', 'servers:\n\t- { id: a }\n'],
    ['a merge key', 'servers:\n  - { <<: x }\n'],
    ['a __proto__ key', 'servers:\n  - { __proto__: x }\n'],
    ['a top-level scalar', 'servers: x\n'],
    ['an entry after []', 'servers: []\n  - { id: a }\n'],
    ['a comment glued to a value', 'servers:\n  - { id: a#b }\n'],
    ['an unquoted MAC', 'servers:\n  - { mac: 0c:c4:7a:00:00:01 }\n'],
    ['a trailing comma', 'servers:\n  - { id: a, }\n'],
    ['an empty value', 'servers:\n  - { id: }\n'],
    ['a tag', 'servers:\n  - { id: !!str 1 }\n'],
  ])('%s: left to js-yaml', (_what, text) => {
    expect(parseLineYaml(text)).toBeNull();
  });
});
