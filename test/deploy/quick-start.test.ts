/**
 * After the quick start (scripts/setup.sh, which .ci/run runs first), the servers the tests use are the tests' own:
 * Debian's redis-server, influxdb and prometheus packages are installed but their services are neither running
 * nor enabled (an unauthenticated InfluxDB on every interface of a box on the span port is what this prevents).
 * The tests' own servers run in temporary directories as the user running the tests; the packages' run as
 * their own users with their configuration from /etc.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SERVICES = [
  { unit: 'redis-server', user: 'redis', process: 'redis-server', config: '/etc/redis/' },
  { unit: 'redis-sentinel', user: 'redis', process: 'redis-sentinel', config: '/etc/redis/' },
  { unit: 'influxdb', user: 'influxdb', process: 'influxd', config: '/etc/influxdb/' },
  { unit: 'prometheus', user: 'prometheus', process: 'prometheus', config: '/etc/prometheus/' },
];

/** uid → name from /etc/passwd */
function users(): Map<number, string> {
  return new Map(readFileSync('/etc/passwd', 'utf8').split('\n').filter((l) => l !== '').map((l) => {
    const f = l.split(':');
    return [Number(f[2]), f[0]] as [number, string];
  }));
}

interface Proc { pid: number; comm: string; user: string; cmdline: string }

function processes(): Proc[] {
  const names = users();
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      out.push({ pid: Number(d), comm, user: names.get(uid) ?? String(uid), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('after the quick start', () => {
  it('no redis-server, redis-sentinel, influxd or prometheus of the packages runs', () => {
    const procs = processes();
    // a sanity check on the walk: it sees this very process
    expect(procs.some((p) => p.pid === process.pid)).toBe(true);
    const theirs = procs.filter((p) => SERVICES.some((s) => p.comm === s.process && (p.user === s.user || p.cmdline.includes(s.config))));
    expect(theirs.map((p) => `${p.pid} ${p.user}: ${p.cmdline}`)).toEqual([]);
  });

  it('none of their units is enabled, for systemd or for SysV init', () => {
    const wants = '/etc/systemd/system/multi-user.target.wants';
    const links = existsSync(wants) ? readdirSync(wants) : [];
    expect(links.filter((l) => SERVICES.some((s) => l === `${s.unit}.service`))).toEqual([]);
    const rc = [2, 3, 4, 5].flatMap((n) => (existsSync(`/etc/rc${n}.d`) ? readdirSync(`/etc/rc${n}.d`).map((f) => `rc${n}.d/${f}`) : []));
    expect(rc.filter((f) => SERVICES.some((s) => new RegExp(`/S\\d\\d${s.unit}$`).test(f)))).toEqual([]);
  });
});
