/**
 * Replay fuzz (issue 14): every fixture capture (and the time-shifted ones) mutated, seeded: bit flips,
 * truncations, bogus record and block lengths, snaplens, magics, time resolutions and times. Each is
 * replayed without and with the inventory, in a child process with a deadline (most in-process there,
 * some through the CLI): no crash (a refusal is one line, exit 2; a replay, exit 0), no stack trace, RSS
 * bounded. AW_FUZZ_SEED=N reproduces a run (the seed is printed); AW_FUZZ_PER_KIND widens it. About 60 s.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../fixtures/lib/rng.js';
import { runCliMeasured } from '../helpers/cli-rss.js';
import { mutations } from './mutate.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const INVENTORY = path.join(FIXTURES, 'inventory.yaml');
const SEED = Number(process.env.AW_FUZZ_SEED ?? 14_2026);
const PER_KIND = Number(process.env.AW_FUZZ_PER_KIND ?? 2);
/** peak RSS of one CLI replay (detection preallocates its tables: about 220 MB with the defaults) */
const CLI_MAX_RSS = 400 * 1024 * 1024;
/** the in-process child replays hundreds of files in turn */
const CHILD_MAX_RSS = 700 * 1024 * 1024;
const CHILDREN = 2;
const CLI_RUNS = 16;
const STACK = /^\s+at .+[(:]\d+|\bTypeError\b|\bRangeError\b|Error: /m;

const originals = [
  ...fs.readdirSync(path.join(FIXTURES, 'captures')).map((f) => path.join(FIXTURES, 'captures', f)),
  ...fs.readdirSync(path.join(FIXTURES, 'time-shifted')).map((f) => path.join(FIXTURES, 'time-shifted', f)),
].filter((f) => /\.pcap(ng)?$/.test(f)).sort();

interface ChildLine { file: string; withInventory: boolean; outcome: 'done' | 'refused' | 'crashed'; error?: string; message?: string; rss: number }

function runChild(list: string[], listFile: string, deadlineMs: number): Promise<{ lines: ChildLine[]; code: number | null; stderr: string }> {
  fs.writeFileSync(listFile, JSON.stringify(list));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'replay-child.ts'), listFile, INVENTORY],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ lines: out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as ChildLine), code, stderr });
    });
  });
}

describe(`replay fuzz (seed ${SEED}: AW_FUZZ_SEED=${SEED} reproduces it)`, () => {
  let dir = '';
  const files: { file: string; what: string }[] = [];

  beforeAll(() => {
    console.log(`replay fuzz: seed ${SEED}, ${PER_KIND} of each mutation per capture, ${originals.length} captures`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hdecode-fuzz-'));
    originals.forEach((orig, i) => {
      const base = path.basename(orig);
      for (const m of mutations(fs.readFileSync(orig), (SEED + i * 7919) >>> 0, PER_KIND)) {
        const file = path.join(dir, `${base}.${m.name}${path.extname(base)}`);
        fs.writeFileSync(file, m.bytes);
        files.push({ file, what: `${base} ${m.name} (seed ${SEED})` });
      }
    });
  });
  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  it('in process, without and with the inventory: every mutation replays or is refused in one line; none crashes', async () => {
    expect(files.length).toBeGreaterThan(300);
    const shares = Array.from({ length: CHILDREN }, (_, c) => files.filter((_, i) => i % CHILDREN === c).map((f) => f.file));
    const results = await Promise.all(shares.map((share, c) => runChild(share, path.join(dir, `list-${c}.json`), 100_000)));
    const what = new Map(files.map((f) => [f.file, f.what]));
    for (const [c, r] of results.entries()) {
      const crashed = r.lines.filter((l) => l.outcome === 'crashed').map((l) => `${what.get(l.file)}${l.withInventory ? ' --inventory' : ''}: ${l.error}`);
      expect(crashed, `seed ${SEED}`).toEqual([]);
      expect(r.stderr, `child ${c}, seed ${SEED}`).toBe('');
      expect(r.code, `child ${c} exited (a signal or the deadline: null), seed ${SEED}`).toBe(0);
      expect(r.lines).toHaveLength(shares[c].length * 2);
      for (const l of r.lines) expect(l.rss, `${what.get(l.file)}: RSS`).toBeLessThan(CHILD_MAX_RSS);
    }
    const outcomes = results.flatMap((r) => r.lines.map((l) => l.outcome));
    // the mutations reach both paths: files libpcap refuses and files it reads
    expect(outcomes).toContain('refused');
    expect(outcomes).toContain('done');
  }, 110_000);

  it('through the CLI, a sample without and with the inventory: exit 0 or 2, no stack trace, RSS bounded', async () => {
    const r = new Rng(SEED ^ 0x5eed);
    const sample = Array.from({ length: CLI_RUNS }, (_, i) => ({ ...files[r.int(0, files.length - 1)], withInventory: i % 2 === 1 }));
    const failures: string[] = [];
    for (let i = 0; i < sample.length; i += CHILDREN) {
      await Promise.all(sample.slice(i, i + CHILDREN).map(async (s) => {
        const res = await runCliMeasured(['replay', s.file, '--format', 'json', '--no-progress', ...(s.withInventory ? ['--inventory', INVENTORY] : [])], 60_000);
        const where = `${s.what}${s.withInventory ? ' --inventory' : ''}`;
        if (res.code !== 0 && res.code !== 2) failures.push(`${where}: exit ${res.code} (${res.signal}): ${res.stderr}`);
        if (STACK.test(res.stderr)) failures.push(`${where}: a stack trace: ${res.stderr}`);
        if (res.code === 2 && res.stderr.trim().split('\n').length !== 1) failures.push(`${where}: not one line: ${res.stderr}`);
        if (!(res.maxRssBytes < CLI_MAX_RSS)) failures.push(`${where}: peak RSS ${res.maxRssBytes}`);
      }));
    }
    expect(failures).toEqual([]);
  }, 110_000);
});
