/**
 * systemd-analyze on unit files that are not installed: `verify` in a throwaway root (the units, systemd's own
 * units it depends on, and stand-ins for the executables it checks) so nothing on this machine is touched,
 * and `security --offline=yes`'s overall exposure.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { exec, type ExecResult } from '../e2e/netns.js';

export const SYSTEMD_UNITS = '/usr/lib/systemd/system';

export async function hasSystemdAnalyze(): Promise<boolean> {
  return (await exec(['sh', '-c', 'command -v systemd-analyze'], { allowFailure: true })).code === 0;
}

/** A root for `verify --root`: systemd's units, /bin/kill and, unless given, /usr/local/bin/arpwarden as stand-ins. */
export function verifyRoot(units: readonly string[], existing?: string): { root: string; dispose: () => void } {
  const root = existing ?? mkdtempSync(join(tmpdir(), 'aw-deploy-root-'));
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  cpSync(SYSTEMD_UNITS, join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  try { symlinkSync('usr/bin', join(root, 'bin')); } catch { /* already there */ }
  writeFileSync(join(root, 'usr/bin/kill'), '#!/bin/sh\n', { mode: 0o755 });
  if (existing === undefined) {
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/local/bin/arpwarden'), '#!/bin/sh\n', { mode: 0o755 });
    for (const u of units) cpSync(u, join(root, 'etc/systemd/system', basename(u)));
  }
  return { root, dispose: () => { if (existing === undefined) rmSync(root, { recursive: true, force: true }); } };
}

/** `systemd-analyze verify` of the named units (a template as one of its instances) under `root`. */
export function verifyUnits(root: string, names: readonly string[]): Promise<ExecResult> {
  return exec(['systemd-analyze', 'verify', `--root=${root}`, ...names], { allowFailure: true, timeoutMs: 30_000 });
}

/** The number on `→ Overall exposure level for UNIT: 1.6 OK`. */
export function overallExposure(output: string): number {
  const m = /Overall exposure level for \S+: (\d+(?:\.\d+)?) /.exec(output);
  if (m === null) throw new Error(`no "Overall exposure level" line in:\n${output}`);
  return Number(m[1]);
}

export async function securityExposure(unitFile: string): Promise<{ exposure: number; output: string }> {
  const r = await exec(['systemd-analyze', 'security', '--offline=yes', '--no-pager', unitFile], { allowFailure: true, timeoutMs: 30_000 });
  return { exposure: overallExposure(r.stdout), output: r.stdout + r.stderr };
}
