import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { fileTempDir } from '../helpers/temp-dir.js';

const good = fs.readFileSync('fixtures/inventory.yaml', 'utf8');
const tmp = fileTempDir('aw-inv-');
const write = (name: string, text: string): string => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
};

describe('arpwarden inventory, as a user runs it', () => {
  it('check lists every problem, FILE:LINE: path: what, capped, with how many more (exit 2)', async () => {
    // 25 servers with a bad VLAN: 20 listed, 5 counted
    const servers = Array.from({ length: 25 }, (_, i) => `  - { id: s${i}, customer: c, ip: 203.0.113.${i + 1}, mac: "0c:c4:7a:00:00:${(i + 16).toString(16)}", gateway: 203.0.113.254, vlan: 9999 }`);
    const file = write('many.yaml', ['routers:', '  - { ip: 203.0.113.254, mac: "00:00:5e:00:01:01" }', 'customers:', '  - { id: c, email: ops@example.net }', 'servers:', ...servers, ''].join('\n'));
    const r = await runCli(['inventory', 'check', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[0]).toBe(`arpwarden: ${file}:6: servers[0].vlan: 9999 is too large: at most 4095`);
    expect(lines[19]).toBe(`arpwarden: ${file}:25: servers[19].vlan: 9999 is too large: at most 4095`);
    expect(lines[20]).toBe('arpwarden: ... and 5 more');
    expect(lines[21]).toBe(`arpwarden: ${file}: 25 problems, not loaded`);
  });

  it('check refuses an empty file', async () => {
    const r = await runCli(['inventory', 'check', write('empty.yaml', '# nothing yet\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^arpwarden: .*empty\.yaml: the inventory is empty/);
  });

  it('diff prints what a reload would change, exit 0', async () => {
    const next = write('next.yaml', good
      .replace('  - { ip: 198.51.100.9, server: srv-1043 }', '  - { ip: 198.51.100.10, server: srv-1043 }')
      .replace('email: netops@example.com', 'email: noc@example.com'));
    const r = await runCli(['inventory', 'diff', 'fixtures/inventory.yaml', next]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'customers: +0 -0 ~1',
      '  ~ c-90: email netops@example.com -> noc@example.com',
      'failover IPs: +1 -1 ~0',
      '  + 198.51.100.10',
      '  - 198.51.100.9',
      'customer IPs: 25 -> 25 (+1 -1, 4.0% removed)',
      'a reload would be taken (inventory.max_removed_percent 50%)',
    ]);
  });

  it('diff says when a reload would be refused, and lists problems of either file as check does', async () => {
    const servers = good.slice(0, good.indexOf('failover_ips:')) + 'failover_ips: []\n';
    const r = await runCli(['inventory', 'diff', 'fixtures/inventory.yaml', write('cut.yaml', servers), '--limit', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^failover IPs: \+0 -15 ~0\n {2}- 192\.0\.2\.18\n {2}\.\.\. and 14 more \(--limit 0 lists them all\)\n/m);
    expect(r.stdout).toMatch(/a reload would be refused: more than inventory\.max_removed_percent 50% of the customer IPs removed/);
    const bad = await runCli(['inventory', 'diff', 'fixtures/inventory.yaml', write('bad.yaml', good.replace('0c:c4:7a:11:22:33', 'ff:ff:ff:ff:ff:ff'))]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/bad\.yaml:\d+: servers\[0\]\.mac: ff:ff:ff:ff:ff:ff is the broadcast MAC/);
  });
});
