import { lstatSync, readlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, inCi } from '../e2e/netns.js';
import { hasSystemdAnalyze, overallExposure, securityExposure, verifyRoot, verifyUnits } from './systemd-analyze.js';

const CAPTURE = fileURLToPath(new URL('../../systemd/arpwarden-capture@.service', import.meta.url));
const WORKER = fileURLToPath(new URL('../../systemd/arpwarden-worker.service', import.meta.url));
const available = await hasSystemdAnalyze();

/** `Key=value` lines of a unit, comments left out. */
function directives(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
  }
  return out;
}

describe('overallExposure', () => {
  it('reads the number of the summary line', () => {
    expect(overallExposure('✗ PrivateNetwork= ... 0.5\n\n→ Overall exposure level for arpwarden-worker.service: 1.1 OK 🙂\n')).toBe(1.1);
    expect(() => overallExposure('nothing')).toThrow(/no "Overall exposure level"/);
  });
});

describe('the units as written', () => {
  it('run as the arpwarden system user, the capture with CAP_NET_RAW alone, the worker with nothing', () => {
    const c = directives(CAPTURE);
    const w = directives(WORKER);
    for (const d of [c, w]) {
      expect(d.get('User')).toEqual(['arpwarden']);
      expect(d.has('DynamicUser')).toBe(false);
      expect(d.get('ExecStart')?.[0]).toMatch(/^\/usr\/local\/bin\/arpwarden /);
      expect(d.get('RestartPreventExitStatus')).toEqual(['2']);
      expect(d.get('Restart')).toEqual(['on-failure']);
      expect(d.has('MemoryDenyWriteExecute')).toBe(false);
    }
    expect(c.get('AmbientCapabilities')).toEqual(['CAP_NET_RAW']);
    expect(c.get('CapabilityBoundingSet')).toEqual(['CAP_NET_RAW']);
    expect(w.get('CapabilityBoundingSet')).toEqual(['']);
    expect(w.get('RestrictAddressFamilies')).toEqual(['AF_INET AF_INET6 AF_UNIX']);
  });

  it('both are ordered after a local redis-server, without needing one (Redis may be on another host)', () => {
    for (const d of [directives(CAPTURE), directives(WORKER)]) {
      expect(d.get('After')?.flatMap((v) => v.split(' '))).toContain('redis-server.service');
      for (const k of ['Requires', 'Wants', 'BindsTo', 'Requisite']) expect(d.get(k) ?? [], k).not.toContainEqual(expect.stringContaining('redis'));
    }
  });

  it('the capture is wanted by its interface\'s device as well as at boot: a BindsTo= stop is not restarted, the device\'s return starts it', () => {
    const c = directives(CAPTURE);
    expect(c.get('BindsTo')).toEqual(['sys-subsystem-net-devices-%i.device']);
    expect(c.get('WantedBy')).toEqual(['multi-user.target', 'sys-subsystem-net-devices-%i.device']);
  });
});

describe.skipIf(!available && !inCi())('systemd-analyze', () => {
  let root: ReturnType<typeof verifyRoot>;
  beforeAll(() => {
    if (!available) throw new Error('systemd-analyze is missing (Debian package systemd); CI is set, so this fails instead of skipping');
    root = verifyRoot([CAPTURE, WORKER]);
  });
  afterAll(() => root?.dispose());

  it('verify passes on both units (the template as an instance)', async () => {
    const r = await verifyUnits(root.root, ['arpwarden-capture@eth1.service', 'arpwarden-worker.service']);
    expect({ code: r.code, output: r.stdout + r.stderr }).toEqual({ code: 0, output: '' });
  });

  it('systemctl enable of an instance links it into its device\'s .wants as well as multi-user.target\'s', async () => {
    const r = await exec(['systemctl', `--root=${root.root}`, 'enable', 'arpwarden-capture@eth1.service'], { allowFailure: true });
    expect(r.code, r.stderr).toBe(0);
    for (const wants of ['multi-user.target.wants', 'sys-subsystem-net-devices-eth1.device.wants']) {
      const link = join(root.root, 'etc/systemd/system', wants, 'arpwarden-capture@eth1.service');
      expect(lstatSync(link).isSymbolicLink(), link).toBe(true);
      expect(readlinkSync(link)).toBe('/etc/systemd/system/arpwarden-capture@.service');
    }
  });

  it.each([['capture', CAPTURE], ['worker', WORKER]])('security --offline=yes rates the %s unit 2.0 or lower', async (_name, file) => {
    const { exposure, output } = await securityExposure(file);
    expect(exposure, output).toBeLessThanOrEqual(2.0);
  });
});
