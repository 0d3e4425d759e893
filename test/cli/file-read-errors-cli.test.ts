/**
 * Captures libpcap stops reading part way: replay and explain say so with libpcap's own reason
 * (as tcpdump does), and explain does not pass the unread rest off as "no ARP".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { arpRequest } from '../../fixtures/lib/frames.js';
import { encodeCapture, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import { fileTempDir } from '../helpers/temp-dir.js';
import { ROOT, runCli } from './run-cli.js';

const tmp = fileTempDir('aw-read-errors-');
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;
const INV = path.join(ROOT, 'fixtures/inventory.yaml');
const records: PcapRecord[] = Array.from({ length: 4 }, (_, i) => ({
  tsMicros: T0 + i * 1000, frame: arpRequest({ sha: '0c:c4:7a:11:22:33', spa: '198.51.100.7', tpa: '198.51.100.22', pad: true }),
}));

// a pcapng whose second interface is Linux cooked: libpcap reads the Ethernet frames, then refuses the interface
const mixed = path.join(tmp, 'mixed-link-types.pcapng');
const ethernet = encodeCapture('pcapng', records, { linktype: 1 });
const cooked = encodeCapture('pcapng', [], { linktype: 113 });
fs.writeFileSync(mixed, Buffer.concat([ethernet, cooked.subarray(28)])); // the second file without its 28-byte Section Header Block

// a pcap cut in the middle of its third record
const cut = path.join(tmp, 'cut.pcap');
const whole = encodeCapture('pcap', records, { linktype: 1 });
fs.writeFileSync(cut, whole.subarray(0, 24 + 2 * (16 + 60) + 30));

describe('a file libpcap stops reading part way', () => {
  it('replay names libpcap\'s reason, not "could not read the next record"', async () => {
    const r = await runCli(['replay', mixed]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(`arpwarden: ${mixed}: cut short after 4 frames (an interface has a type 113 different from the type of the first interface); counted what was read`);
    const c = await runCli(['replay', cut, '--format', 'json']);
    expect(c.stderr.trim()).toMatch(/: cut short after 2 frames \(truncated dump file; tried to read 60 captured bytes, only got 14\); counted what was read$/);
    const doc = JSON.parse(c.stdout) as { truncated?: boolean; read_error?: string };
    expect(doc.truncated).toBe(true);
    expect(doc.read_error).toBe('truncated dump file; tried to read 60 captured bytes, only got 14');
  });

  it('explain warns as replay does, and its title and verdict say the rest was not read', async () => {
    const r = await runCli(['explain', mixed, '198.51.100.9', '--inventory', INV]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toMatch(/: cut short after 4 frames \(an interface has a type 113 different from the type of the first interface\); counted what was read$/);
    expect(r.stdout).toMatch(/^explain 198\.51\.100\.9 in .* \(4 frames read: the file is cut short, the rest is not explained\)\n/);
    expect(r.stdout).toMatch(/verdict: no incident: the capture, as far as it could be read, holds no ARP from or about this IP\n$/);
  });

  it('a whole file: no warning, the title as before', async () => {
    const r = await runCli(['explain', path.join(ROOT, 'fixtures/captures/arp-untagged.pcap'), '198.51.100.9', '--inventory', INV]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^explain 198\.51\.100\.9 in .* \(63 frames\)\n/);
    expect(r.stdout).toMatch(/verdict: no incident: the capture holds no ARP from or about this IP\n$/);
  });
});

describe('standard input and pipes, as tcpdump -r - reads them', () => {
  const untagged = fs.readFileSync(path.join(ROOT, 'fixtures/captures/arp-untagged.pcap'));
  it('replay - reads a pcap, a nanosecond pcap or a pcapng piped in, the same as the file', async () => {
    const fromFile = await runCli(['replay', path.join(ROOT, 'fixtures/captures/arp-untagged.pcap'), '--format', 'json']);
    const want = JSON.parse(fromFile.stdout) as Record<string, unknown>;
    for (const f of ['arp-untagged.pcap', 'arp-nanosecond.pcap', 'arp-pcapng.pcapng']) {
      const r = await runCli(['replay', '-', '--format', 'json'], { input: fs.readFileSync(path.join(ROOT, 'fixtures/captures', f)) });
      expect({ f, code: r.code, stderr: r.stderr }).toEqual({ f, code: 0, stderr: '' });
      expect(JSON.parse(r.stdout)).toEqual({ ...want, file: '-' });
    }
  });

  it('explain - and a named pipe (as <(...) makes) give the verdict the file gives', async () => {
    const alias = fs.readFileSync(path.join(ROOT, 'fixtures/captures/case1-alias-netmask.pcap'));
    const r = await runCli(['explain', '-', '198.51.100.7', '--inventory', INV, '--lines', '1'], { input: alias });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^explain 198\.51\.100\.7 in - \(850 frames\)\n/);
    expect(r.stdout).toMatch(/verdict: alias-netmask \(customer c-77\), opened 2026-11-02 09:01:09\.556706/);
    const fifo = path.join(tmp, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = fs.promises.writeFile(fifo, untagged);
    const p = await runCli(['replay', fifo]);
    await writer;
    expect(p.stderr).toBe('');
    expect(p.stdout).toMatch(/frames\s+63 \(ARP 63: untagged 63/);
  });

  it('what is no capture on stdin is one line, exit 2', async () => {
    const text = await runCli(['replay', '-'], { input: Buffer.from('hello\n') });
    expect([text.code, text.stderr.trim()]).toEqual([2, 'arpwarden: -: not a pcap or pcapng capture (unknown file format)']);
    const devNull = await runCli(['replay', '-']);
    expect([devNull.code, devNull.stderr.trim()]).toEqual([2, 'arpwarden: -: not a regular file or a pipe']);
    const cutIn = await runCli(['replay', '-'], { input: whole.subarray(0, 24 + 2 * (16 + 60) + 30) });
    expect(cutIn.code).toBe(0);
    expect(cutIn.stderr.trim()).toMatch(/^arpwarden: -: cut short after 2 frames \(truncated dump file/);
  });
});

describe('a capture of a link type the decoder does not read', () => {
  // Ethernet frames under another link type's header: without the check each was "malformed" and the replay "incidents: none", exit 0
  it.each([
    [105, 'IEEE802_11 (802.11)'], [101, 'RAW (Raw IP)'], [0, 'NULL (BSD loopback)'], [60000, '60000'],
  ])('link type %i: one line naming it as tcpdump does, exit 2, for replay and explain', async (linktype, name) => {
    const file = path.join(tmp, `linktype-${linktype}.pcap`);
    fs.writeFileSync(file, encodeCapture('pcap', records, { linktype }));
    const want = `arpwarden: ${file}: link type ${name}: arpwarden reads Ethernet (EN10MB) and Linux cooked (LINUX_SLL, LINUX_SLL2) captures only`;
    for (const args of [['replay', file, '--inventory', INV], ['explain', file, '198.51.100.7', '--inventory', INV]]) {
      const r = await runCli(args);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr.trim() }).toEqual({ args, code: 2, stdout: '', stderr: want });
    }
  });
});
