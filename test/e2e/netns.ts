/**
 * Network namespaces for end-to-end tests: small typed steps (namespace, veth
 * pair, bridge, address, command inside a namespace, raw frame injection) and
 * one cleanup that removes everything a lab created.
 *
 * Rules kept here so that every e2e test follows them:
 * - nothing is ever created in, or connected to, the root namespace: veth pairs
 *   are created inside a lab namespace with their peer moved to another one;
 * - addresses come only from the documentation and shared ranges
 *   (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 100.64.0.0/10), checked
 *   before any `ip addr add` or route;
 * - namespaces are named `aw-e2e-<pid>-<name>`, so a crashed run's leftovers
 *   are recognised (their pid is gone) and removed by the next run.
 *
 * The test process cannot enter a namespace itself: whatever must run inside
 * (a capture, tcpdump, arping) is a child started with `ip netns exec`, which
 * execs the command in place, so the child's pid is the command's pid.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export const NETNS_PREFIX = 'aw-e2e-';

/** What a command run to completion gave back. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  /** exit code, or null when killed by a signal */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ExecOptions {
  /** written to the command's stdin, which is then closed */
  input?: string;
  /** kill the command (SIGKILL) after this long @defaultValue 10 000 */
  timeoutMs?: number;
  /** resolve with a non-zero exit instead of rejecting @defaultValue false */
  allowFailure?: boolean;
  /** working directory @defaultValue this process's */
  cwd?: string;
}

/** A command that failed: the message carries the command line, the exit status and stderr. */
export class CommandError extends Error {
  constructor(readonly argv: readonly string[], readonly result: ExecResult) {
    const status = result.code !== null ? `exit ${result.code}` : `signal ${result.signal ?? '?'}`;
    const err = result.stderr.trim();
    super(`${argv.join(' ')}: ${status}${err ? `: ${err}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Runs a command (not through a shell) and collects its output. */
export function exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`${argv.join(' ')}: ${e.message}`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: ExecResult = { stdout, stderr, code, signal };
      if (code !== 0 && !options.allowFailure) reject(new CommandError(argv, result));
      else resolve(result);
    });
    if (child.stdin) {
      // a command that exits without reading its input must not crash us with EPIPE
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

// ---------------------------------------------------------------- privileges

/** How to treat a machine where the tests cannot create namespaces. */
export interface NetnsAvailability {
  /** run the tests */
  run: boolean;
  /** skip them (only outside CI, and only when not root) */
  skip: boolean;
  /** why not, a sentence: shown when skipping, thrown by `assertNetnsUsable` */
  reason: string;
}

/** CI is "set" unless unset, empty, `0` or `false`: in CI a missing privilege fails, never skips. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * Network-namespace tests need root (CAP_SYS_ADMIN for `ip netns`, CAP_NET_RAW for capture).
 * Not root outside CI: skip, saying why. Not root in CI: run, and fail in `assertNetnsUsable`.
 */
export function netnsAvailability(env: NodeJS.ProcessEnv = process.env): NetnsAvailability {
  const uid = process.getuid?.() ?? -1;
  if (uid === 0) return { run: true, skip: false, reason: '' };
  const reason = `network-namespace e2e tests need root for namespaces and packet capture (running as uid ${uid})`;
  if (inCi(env)) return { run: true, skip: false, reason: `${reason}; CI is set, so they fail instead of being skipped` };
  return { run: false, skip: true, reason: `${reason}; skipped because CI is not set (CI=true makes them fail)` };
}

/** Throws one clear message when the machine cannot run namespace tests (call it in beforeAll). */
export async function assertNetnsUsable(tools: readonly string[] = []): Promise<void> {
  const a = netnsAvailability();
  if (a.reason !== '') throw new Error(a.reason);
  for (const tool of ['ip', ...tools]) {
    const r = await exec(['sh', '-c', `command -v ${tool}`], { allowFailure: true });
    if (r.code !== 0) throw new Error(`network-namespace e2e tests need \`${tool}\` on PATH`);
  }
}

// ---------------------------------------------------------------- addresses

/** The only ranges a lab may use (RFC 5737 documentation nets and RFC 6598 shared space). */
export const LAB_RANGES: readonly { net: number; bits: number; text: string }[] = [
  { net: ipv4(192, 0, 2, 0), bits: 24, text: '192.0.2.0/24' },
  { net: ipv4(198, 51, 100, 0), bits: 24, text: '198.51.100.0/24' },
  { net: ipv4(203, 0, 113, 0), bits: 24, text: '203.0.113.0/24' },
  { net: ipv4(100, 64, 0, 0), bits: 10, text: '100.64.0.0/10' },
];

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function parseDotted(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.some((x) => x > 255) ? null : ipv4(o[0], o[1], o[2], o[3]);
}

/** Throws unless `addr` (`a.b.c.d` or `a.b.c.d/len`) lies wholly inside one of LAB_RANGES. */
export function assertLabAddress(addr: string): void {
  const [ipText, lenText] = addr.split('/');
  const ip = parseDotted(ipText);
  const len = lenText === undefined ? 32 : Number(lenText);
  const ok = ip !== null && Number.isInteger(len) && LAB_RANGES.some((r) => {
    const mask = r.bits === 0 ? 0 : (0xffffffff << (32 - r.bits)) >>> 0;
    return len >= r.bits && ((ip & mask) >>> 0) === r.net;
  });
  if (!ok) throw new Error(`address ${addr} is outside the lab ranges (${LAB_RANGES.map((r) => r.text).join(', ')})`);
}

// ---------------------------------------------------------------- namespaces

export interface NamespaceOptions {
  /** disable IPv6 (no router solicitations, DAD or MLD chatter on the links) @defaultValue true */
  noIpv6?: boolean;
}

/** One end of a veth pair. */
export interface VethEnd {
  ns: Netns;
  /** interface name inside that namespace (at most 15 characters) */
  name: string;
  /** an address with its prefix length, e.g. 198.51.100.1/24 (lab ranges only) */
  addr?: string;
  /** a fixed MAC, e.g. 02:00:00:00:00:01 */
  mac?: string;
}

/** A namespace of a lab. Every method runs `ip -n` or `ip netns exec` on it. */
export class Netns {
  constructor(readonly lab: NetnsLab, readonly name: string) {}

  /** `ip -n NS ARGS...`; resolves with stdout. */
  async ip(...args: string[]): Promise<string> {
    return (await exec(['ip', '-n', this.name, ...args])).stdout;
  }

  /** Runs a command inside the namespace to completion. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return exec(['ip', 'netns', 'exec', this.name, ...argv], options);
  }

  /**
   * Starts a long-running command inside the namespace, under `timeout` so that it
   * cannot outlive a test run that was killed (signals sent to the child are passed on,
   * and its exit status is the command's). The lab stops it at cleanup if it still runs.
   */
  spawn(argv: readonly string[], options: SpawnOptions & { maxSeconds?: number } = {}): ChildProcess {
    const { maxSeconds = 120, ...spawnOptions } = options;
    const limited = ['timeout', '--kill-after=5', String(maxSeconds), ...argv];
    return this.lab.track(spawn('ip', ['netns', 'exec', this.name, ...limited], { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions }));
  }

  /** `key` dotted (net.ipv4.ip_forward) or slashed (net/ipv4/neigh/aw0.100/retrans_time_ms, for names with dots). */
  async sysctl(key: string, value: string | number): Promise<void> {
    await this.exec(['sysctl', '-qw', `${key}=${value}`]);
  }

  /**
   * Sets an IPv4 neighbour (ARP) parameter of one interface, e.g. `retrans_time_ms`,
   * `delay_first_probe_time`, `mcast_solicit`. A namespace has no `default` entry
   * (only the initial namespace does), so it is per interface, once it exists.
   */
  async neighParam(dev: string, param: string, value: number): Promise<void> {
    await this.sysctl(`net/ipv4/neigh/${dev}/${param}`, value);
  }

  /** Adds a lab-range address to an interface and brings the interface up. */
  async addAddress(dev: string, cidr: string): Promise<void> {
    assertLabAddress(cidr);
    await this.ip('addr', 'add', cidr, 'dev', dev);
    await this.up(dev);
  }

  async up(dev: string): Promise<void> {
    await this.ip('link', 'set', dev, 'up');
  }

  /**
   * Adds a route to a lab-range destination via a lab-range gateway (`default` is refused).
   * `onlink` (with `dev`): the gateway is taken as on the link even though no address of
   * this host covers it, as for a /32 failover whose gateway is the server's.
   */
  async addRoute(dest: string, via: string, options: { dev?: string; onlink?: boolean } = {}): Promise<void> {
    assertLabAddress(dest);
    assertLabAddress(via);
    if (options.onlink && options.dev === undefined) throw new Error(`${this.name}: an onlink route to ${dest} needs its device`);
    await this.ip('route', 'add', dest, 'via', via, ...(options.dev !== undefined ? ['dev', options.dev] : []), ...(options.onlink ? ['onlink'] : []));
  }

  /** Adds a route to a lab-range destination straight out of `dev`, no gateway (the destination is on that link). */
  async addDeviceRoute(dest: string, dev: string): Promise<void> {
    assertLabAddress(dest);
    await this.ip('route', 'add', dest, 'dev', dev);
  }

  /** The interface's MAC, lowercase with colons. */
  async mac(dev: string): Promise<string> {
    const out = await this.ip('-o', 'link', 'show', 'dev', dev);
    const m = /link\/ether ([0-9a-f:]{17})/.exec(out);
    if (!m) throw new Error(`${this.name}: no MAC on ${dev}: ${out.trim()}`);
    return m[1];
  }

  /**
   * Sends hand-built frames out of `dev` through an AF_PACKET socket, in order,
   * exactly as given (no padding, no checksum, tags included). Needs python3.
   */
  async sendRawFrames(dev: string, frames: readonly Uint8Array[]): Promise<void> {
    const input = frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('hex')).join('\n') + '\n';
    await this.exec(['python3', '-c', SEND_RAW_PY, dev], { input });
  }

  /** Creates a VLAN subinterface (down); false when the kernel has no 802.1Q support (no module 8021q). */
  async tryAddVlan(parent: string, name: string, id: number, proto: '802.1Q' | '802.1ad' = '802.1Q'): Promise<boolean> {
    const argv = ['ip', '-n', this.name, 'link', 'add', 'link', parent, 'name', name, 'type', 'vlan', 'proto', proto, 'id', String(id)];
    const r = await exec(argv, { allowFailure: true });
    if (r.code === 0) return true;
    if (/Unknown device type|not supported/i.test(r.stderr)) return false;
    throw new CommandError(argv, r);
  }

  /** Creates a VLAN subinterface (down), or throws when the kernel cannot. */
  async addVlan(parent: string, name: string, id: number, proto: '802.1Q' | '802.1ad' = '802.1Q'): Promise<void> {
    if (!(await this.tryAddVlan(parent, name, id, proto))) throw new Error(`${this.name}: this kernel has no 802.1Q support (module 8021q)`);
  }

  /** A bridge inside this namespace with the given ports enslaved (all brought up). */
  async addBridge(name: string, ports: readonly string[] = []): Promise<void> {
    await this.ip('link', 'add', name, 'type', 'bridge');
    for (const port of ports) {
      await this.ip('link', 'set', port, 'master', name);
      await this.up(port);
    }
    await this.up(name);
  }
}

/** Reads hex frames from stdin, one per line, and sends each out of argv[1]. */
const SEND_RAW_PY = [
  'import socket, sys',
  's = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)',
  's.bind((sys.argv[1], 0))',
  'for line in sys.stdin:',
  '    line = line.strip()',
  '    if line:',
  '        s.send(bytes.fromhex(line))',
].join('\n');

/**
 * A set of namespaces and the processes started in them, removed together by
 * `cleanup()` (idempotent; call it in afterAll, it also runs on failure).
 */
export class NetnsLab {
  private readonly namespaces: Netns[] = [];
  private readonly children = new Set<ChildProcess>();
  private cleaned = false;

  /** `tag` distinguishes labs of one process: namespaces are `aw-e2e-<pid>-<tag><name>`. */
  constructor(readonly tag = '') {}

  /** Creates a namespace with its loopback up. */
  async namespace(name: string, options: NamespaceOptions = {}): Promise<Netns> {
    if (this.cleaned) throw new Error('this lab was cleaned up');
    const full = `${NETNS_PREFIX}${process.pid}-${this.tag}${name}`;
    await exec(['ip', 'netns', 'add', full]);
    const ns = new Netns(this, full);
    this.namespaces.push(ns);
    await ns.up('lo');
    if (options.noIpv6 ?? true) {
      await ns.sysctl('net.ipv6.conf.all.disable_ipv6', 1);
      await ns.sysctl('net.ipv6.conf.default.disable_ipv6', 1);
    }
    return ns;
  }

  /** A veth pair between two lab namespaces (created inside `a.ns`, peer moved to `b.ns`), both ends up. */
  async veth(a: VethEnd, b: VethEnd): Promise<void> {
    if (a.ns.lab !== this || b.ns.lab !== this) throw new Error('veth ends must be namespaces of this lab');
    await a.ns.ip('link', 'add', a.name, ...(a.mac ? ['address', a.mac] : []), 'type', 'veth',
      'peer', 'name', b.name, ...(b.mac ? ['address', b.mac] : []), 'netns', b.ns.name);
    for (const end of [a, b]) {
      if (end.addr !== undefined) await end.ns.addAddress(end.name, end.addr);
      else await end.ns.up(end.name);
    }
  }

  /** Registers a child for cleanup. */
  track(child: ChildProcess): ChildProcess {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Stops what still runs (SIGTERM, SIGKILL after 2 s), then deletes every namespace (their interfaces go with them). */
  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    await Promise.all([...this.children].map((c) => stopChild(c, 'SIGTERM', 2_000)));
    const errors: string[] = [];
    for (const ns of this.namespaces.reverse()) {
      const r = await exec(['ip', 'netns', 'delete', ns.name], { allowFailure: true });
      if (r.code !== 0 && !/No such file/.test(r.stderr)) errors.push(`${ns.name}: ${r.stderr.trim()}`);
    }
    if (errors.length > 0) throw new Error(`could not delete namespaces: ${errors.join('; ')}`);
  }
}

/**
 * Sends `signal` to the child and waits for it to exit; after `graceMs`, SIGKILL to its
 * process group (`timeout` leads one: the command under it goes too). Resolves with its exit code.
 */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 2_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, graceMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    child.kill(signal);
  });
}

/** Deletes `aw-e2e-<pid>-*` namespaces whose pid no longer runs (left by a run that was killed). */
export async function removeStaleNamespaces(): Promise<string[]> {
  const r = await exec(['ip', 'netns', 'list'], { allowFailure: true });
  const removed: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const name = line.split(' ')[0];
    const m = new RegExp(`^${NETNS_PREFIX}(\\d+)-`).exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const d = await exec(['ip', 'netns', 'delete', name], { allowFailure: true });
    if (d.code === 0) removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether this kernel can create 802.1Q subinterfaces, tried for real in a
 * throwaway namespace (a module that is merely absent from /sys may still load on demand).
 */
export async function kernelHasVlan(): Promise<boolean> {
  const lab = new NetnsLab('probe-');
  try {
    const ns = await lab.namespace('vlan');
    await ns.ip('link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1');
    return await ns.tryAddVlan('p0', 'p0.100', 100);
  } finally {
    await lab.cleanup();
  }
}
