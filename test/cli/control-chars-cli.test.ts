import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

/** Issue 14: ANSI escapes and CR/LF from an inventory never reach the terminal raw, whatever line quotes them. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hfiles-ctl-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const good = fs.readFileSync(path.join(ROOT, 'fixtures/inventory.yaml'), 'utf8');
const ESC = '\u001b';
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function inventory(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('inventory strings with ANSI escapes and CR/LF', () => {
  it.each([
    // YAML's own escapes (\\e is ESC) put them in a quoted string; a name is refused by the schema
    ['a customer name', good.replace('name: Example SARL', 'name: "Evil\\e[2J\\r\\nSARL"'), /^arpwarden: .*:11: customers\[0\]\.name: no control characters .*/],
    // a CIDR is parsed, not validated as text: its error quotes it
    ['a block CIDR', good.replace('cidr: 192.0.2.0/28,', 'cidr: "192.0.2.0/28\\e[31m\\r\\nforged",'), /^arpwarden: .*: blocks\[0\]\.cidr: .*192\.0\.2\.0\/28\\u001b\[31m\\r\\nforged/],
    // an anchor's name is any non-space text
    ['an anchor name', `${good}\nx: &a${ESC}x 1\n`, /^arpwarden: .*: YAML anchor &a\\u001bx: /],
  ])('%s: inventory check and replay print it escaped, on one line', async (_what, text, message) => {
    const file = inventory(`${_what.replace(/\W/g, '-')}.yaml`, text);
    for (const args of [['inventory', 'check', file], ['replay', path.join(ROOT, 'fixtures/captures/case1-alias-netmask.pcap'), '--inventory', file]]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines.some((l) => message.test(l))).toBe(true);
      for (const l of lines) expect(l).not.toMatch(RAW);
    }
  });
});
