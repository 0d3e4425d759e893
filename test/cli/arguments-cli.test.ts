import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';
import { fileTempDir } from '../helpers/temp-dir.js';

const capture = path.join(ROOT, 'fixtures/captures/arp-untagged.pcap');
const INV = 'fixtures/inventory.yaml';
const tmp = fileTempDir('aw-args-');
const aFile = path.join(tmp, 'outbox.txt');
fs.writeFileSync(aFile, 'a file, not a directory\n');
// an address nothing listens on: the errors below must come before any connection
const cfg = path.join(tmp, 'cfg.yaml');
fs.writeFileSync(cfg, 'queue:\n  redis_url: redis://127.0.0.1:1\n');

describe('arguments: one line in our words, exit status 2', () => {
  it.each([
    ['explain --lines -1', ['explain', capture, '198.51.100.7', '--inventory', INV, '--lines', '-1'], /^arpwarden: --lines -1: expected a whole number from 0 to 1,000,000 \(0: all\)$/],
    ['explain --lines abc', ['explain', capture, '198.51.100.7', '--inventory', INV, '--lines', 'abc'], /^arpwarden: --lines abc: expected a whole number from 0 to 1,000,000 \(0: all\)$/],
    ['capture --buffer-mib 99999999', ['capture', '-i', 'lo', '--buffer-mib', '99999999'], /^arpwarden: --buffer-mib 99999999: expected a whole number from 1 to 2,047 MiB$/],
    ['capture --seconds -5', ['capture', '-i', 'lo', '--seconds', '-5'], /^arpwarden: --seconds -5: expected a number from 0 to 2,147,483 seconds \(0: until stopped\)$/],
    ['mute --hours 0', ['mute', 'ip', '198.51.100.7', '--hours', '0', '--config', cfg], /^arpwarden: --hours 0: expected a number above 0 and up to 8,760 hours/],
    ['mute --hours 1e6', ['mute', 'customer', 'c-77', '--hours', '1e6', '--config', cfg], /^arpwarden: --hours 1e6: expected a number above 0 and up to 8,760 hours/],
    ['replay --speed 0', ['replay', capture, '--speed', '0'], /^arpwarden: --speed 0: expected max, realtime or a positive factor from 0\.001 to 1,000,000/],
    ['replay --format xml', ['replay', capture, '--format', 'xml'], /^arpwarden: --format xml: expected text or json$/],
    ['--outbox on an existing file', ['replay', capture, '--inventory', INV, '--outbox', aFile], /^arpwarden: --outbox .*outbox\.txt: not a directory \(a file of that name is there; the emails go into a directory\)$/],
    ['--outbox under a file', ['replay', capture, '--inventory', INV, '--outbox', path.join(aFile, 'x')], /^arpwarden: --outbox .*outbox\.txt\/x: not a directory \(a part of the path is a file/],
    ['--outbox /proc/x (no spinning)', ['replay', capture, '--inventory', INV, '--outbox', '/proc/x'], /^arpwarden: --outbox \/proc\/x: cannot be created there$/],
    ['mute ip with a leading zero (it would mute nothing)', ['mute', 'ip', '198.51.100.07', '--config', cfg], /^arpwarden: ip 198\.51\.100\.07: not an IPv4 address \(no leading zeros or spaces: write 198\.51\.100\.7 if that is the one meant\)$/],
    ['unmute ip with a leading zero', ['unmute', 'ip', '010.0.0.1', '--config', cfg], /^arpwarden: ip 010\.0\.0\.1: not an IPv4 address \(no leading zeros or spaces: write 10\.0\.0\.1 /],
    ['explain an IP with a leading zero', ['explain', capture, '198.51.100.07', '--inventory', INV], /^arpwarden: 198\.51\.100\.07: not an IPv4 address \(no leading zeros/],
    ['queue retry ID --all', ['queue', 'retry', '12', '--all', '--config', cfg], /^arpwarden: queue retry: give a job id or --all, not both \(job 12 and --all\)$/],
    ['queue retry with neither', ['queue', 'retry', '--config', cfg], /^arpwarden: queue retry: give a job id or --all$/],
  ])('%s', async (_what, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('numbers in range are taken: explain --lines 1 shows one timeline line', async () => {
    const r = await runCli(['explain', path.join(ROOT, 'fixtures/captures/case1-alias-netmask.pcap'), '198.51.100.7', '--inventory', INV, '--lines', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\.\.\. \d+ more \(--lines 0 shows all\)/);
  });
});

describe('--help says each default once', () => {
  it('capture --seconds: 0 is "run until SIGINT/SIGTERM", not a second "(default: 0)"', async () => {
    const r = await runCli(['capture', '--help']);
    expect(r.code).toBe(0);
    const seconds = /--seconds <n>([\s\S]*?)\n {2}--/.exec(r.stdout)![1].replace(/\s+/g, ' ').trim();
    expect(seconds).toBe('stop after n seconds (at most 2,147,483) (default: 0, run until SIGINT/SIGTERM)');
    expect(seconds.match(/default/g)).toHaveLength(1);
  });
});
