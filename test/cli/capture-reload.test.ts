import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { testTempDir } from '../helpers/temp-dir.js';

const root = process.getuid?.() === 0;

/** Resolves once `check` holds (polled): a step waits for the line before it, not for a fixed time (a loaded machine starts slowly). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 50));
}

describe.skipIf(!root && !process.env.CI)('arpwarden capture reloads its inventory on SIGHUP (on the loopback device: it only listens)', () => {
  it('keeps the last good inventory when the new one is bad, takes a good one', async () => {
    const dir = testTempDir('aw-hup-');
    const inv = path.join(dir, 'inventory.yaml');
    const good = fs.readFileSync('fixtures/inventory.yaml', 'utf8');
    fs.writeFileSync(inv, good);
    const r = await runCli(['capture', '-i', 'lo', '--inventory', inv, '--seconds', '60'], {
      timeoutMs: 90_000,
      onSpawn: (kill, out) => {
        void (async () => {
          await until(() => /capturing on/.test(out().stderr));
          fs.writeFileSync(inv, good.replace('0c:c4:7a:11:22:33', 'not-a-mac'));
          kill('SIGHUP');
          await until(() => /kept the last good inventory/.test(out().stderr));
          fs.writeFileSync(inv, good);
          kill('SIGHUP');
          await until(() => /reloaded /.test(out().stderr));
          kill('SIGTERM');
        })();
      },
    });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => /^arpwarden: kept the last good inventory: .*inventory\.yaml:\d+: servers\[0\]\.mac: not a MAC address: "not-a-mac"/.test(l))).toBe(true);
    // the same good file again: taken, nothing changed
    expect(lines.some((l) => /^arpwarden: reloaded .*inventory\.yaml: customers \+0 -0, servers \+0 -0, IPs \+0 -0$/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/capture lo/);
  });

  it('--log-format json: the same events as one JSON object per line on stderr, the reload\'s facts as fields', async () => {
    const r = await runCli(['capture', '-i', 'lo', '--inventory', 'fixtures/inventory.yaml', '--seconds', '60', '--log-format', 'json'], {
      timeoutMs: 90_000,
      onSpawn: (kill, out) => {
        void (async () => {
          await until(() => /capturing on/.test(out().stderr));
          kill('SIGHUP');
          await until(() => /inventory_reloaded/.test(out().stderr));
          kill('SIGTERM');
        })();
      },
    });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.event)).toEqual(['capture_started', 'inventory_reloaded', 'capture_stopped']);
    expect(lines.every((l) => l.process === 'capture' && l.level === 'info' && typeof l.time === 'string')).toBe(true);
    expect(lines[1]).toMatchObject({ file: 'fixtures/inventory.yaml', changes: 'customers +0 -0, servers +0 -0, IPs +0 -0' });
  });

  it('an anchor bomb or a second document on reload: refused at once, the daemon alive, the last good inventory kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hfiles-hup-'));
    const inv = path.join(dir, 'inventory.yaml');
    const good = fs.readFileSync('fixtures/inventory.yaml', 'utf8');
    // each line doubles the one before: 2^40 strings if expanded
    const bomb = ['laughs:', '  a0: &a0 ["lol", "lol"]', ...Array.from({ length: 40 }, (_, i) => `  a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)].join('\n');
    fs.writeFileSync(inv, good);
    const r = await runCli(['capture', '-i', 'lo', '--inventory', inv, '--seconds', '60'], {
      timeoutMs: 90_000,
      onSpawn: (kill, out) => {
        void (async () => {
          const answered = (): number => (out().stderr.match(/kept the last good inventory|reloaded /g) ?? []).length;
          await until(() => /capturing on/.test(out().stderr));
          for (const [n, text] of [`${good}\n${bomb}\n`, `${good}\n---\n${good}`, good].entries()) {
            fs.writeFileSync(inv, text);
            kill('SIGHUP');
            await until(() => answered() > n);
          }
          kill('SIGTERM');
        })();
      },
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    const goodLines = good.split('\n').length;
    expect(lines.some((l) => new RegExp(`^arpwarden: kept the last good inventory: .*inventory\\.yaml:${goodLines + 2}: YAML anchor &a0: anchors and aliases`).test(l))).toBe(true);
    expect(lines.some((l) => new RegExp(`^arpwarden: kept the last good inventory: .*inventory\\.yaml:${goodLines + 1}: a second YAML document`).test(l))).toBe(true);
    expect(lines.some((l) => /^arpwarden: reloaded .*inventory\.yaml: customers \+0 -0, servers \+0 -0, IPs \+0 -0$/.test(l))).toBe(true);
    expect(r.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
    expect(r.stdout).toMatch(/capture lo/);
  });

  it('SIGHUP reads the configuration again: thresholds taken live, other keys named as needing a restart, a bad file refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-inventory-config-hup-'));
    const cfg = path.join(dir, 'config.yaml');
    fs.writeFileSync(cfg, 'detector:\n  thresholds:\n    unresolved_arp: 40\n');
    const r = await runCli(['capture', '-i', 'lo', '--inventory', 'fixtures/inventory.yaml', '--config', cfg, '--seconds', '60'], {
      timeoutMs: 90_000,
      onSpawn: (kill, out) => {
        void (async () => {
          const reloads = (): number => (out().stderr.match(/reloaded fixtures\/inventory\.yaml/g) ?? []).length;
          await until(() => /capturing on/.test(out().stderr));
          fs.writeFileSync(cfg, 'detector:\n  thresholds:\n    unresolved_arp: 25\n  window_seconds: 120\nweb:\n  listen: 127.0.0.1:9\n');
          kill('SIGHUP');
          await until(() => reloads() === 1);
          fs.writeFileSync(cfg, 'detector:\n  thresholds:\n    unresolved_arp: many\n');
          kill('SIGHUP');
          await until(() => reloads() === 2);
          kill('SIGTERM');
        })();
      },
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(`arpwarden: configuration ${cfg} reloaded: detector.thresholds.unresolved_arp 40 -> 25`);
    expect(lines).toContain(`arpwarden: configuration ${cfg}: detector.window_seconds, web.listen changed, which only a restart takes (the running daemon keeps the old values)`);
    expect(lines.some((l) => l.startsWith(`arpwarden: kept the running configuration: ${cfg}:3: detector.thresholds.unresolved_arp: `))).toBe(true);
    expect(r.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
  });
});
