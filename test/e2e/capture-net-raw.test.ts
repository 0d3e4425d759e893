/**
 * The capture as the unit runs it, without systemd (unit-sandbox.ts): nobody holding CAP_NET_RAW alone, in a
 * sandbox like the unit's, under the unit's own system call filter, on a veth between two network namespaces.
 * It captures, pcap_stats counts, and the interface goes promiscuous: CAP_NET_ADMIN is not needed (libpcap asks
 * through PACKET_ADD_MEMBERSHIP). Without the capability it stops in one line, exit 2. Uses the built CLI
 * (dist/). Needs root; about 10 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from './netns.js';
import { NOBODY, sandboxTree, unitSandboxArgv } from './unit-sandbox.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

// the files the unprivileged capture reads, where it can read them (the checkout, or a copy: see sandboxTree)
let tree: ReturnType<typeof sandboxTree>;
/** CAP_NET_RAW is capability 13 */
const NET_RAW_MASK = (1n << 13n).toString(16).padStart(16, '0');

interface Run { child: ChildProcess; stdout: string; stderr: string; exit: Promise<number | null> }

/** `arpwarden capture` inside `ns` and the unit's sandbox, with `caps`; its pid is the CLI's (every step execs). */
function sandboxedCapture(lab: NetnsLab, ns: Netns, dev: string, caps: readonly string[], seconds: number): Run {
  const argv = ['netns', 'exec', ns.name, ...unitSandboxArgv(tree.path('systemd/arpwarden-capture@.service'), caps,
    [process.execPath, tree.path('dist/cli/main.js'), 'capture', '-i', dev, '--inventory', tree.path('fixtures/inventory.yaml'), '--seconds', String(seconds), '--format', 'json'],
    tree.root)];
  const child = lab.track(spawn('ip', argv, { cwd: tree.root, stdio: ['ignore', 'pipe', 'pipe'] }));
  const run: Run = { child, stdout: '', stderr: '', exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { run.stdout += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { run.stderr += s; });
  return run;
}

async function until(what: string, pred: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The `Name:\tvalue` lines of /proc/PID/status. */
function procStatus(pid: number): Map<string, string> {
  return new Map(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').filter((l) => l.includes(':')).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
  }));
}

describe.skipIf(availability.skip)('the capture as an unprivileged user with CAP_NET_RAW alone, in a sandbox like the unit\'s', () => {
  const lab = new NetnsLab('netraw');
  let cap: Netns;
  let peer: Netns;

  beforeAll(async () => {
    tree = sandboxTree();
    await assertNetnsUsable(['setpriv', 'unshare', 'arping']);
    await removeStaleNamespaces();
    cap = await lab.namespace('cap');
    peer = await lab.namespace('peer');
    await lab.veth({ ns: cap, name: 'aw0', addr: '198.51.100.1/24' }, { ns: peer, name: 'aw1', addr: '198.51.100.2/24' });
  });
  afterAll(async () => { await lab.cleanup(); tree?.remove(); });

  it('captures, counts with pcap_stats, and puts the interface in promiscuous mode, within the unit\'s system calls', async () => {
    const before = await cap.ip('-d', 'link', 'show', 'aw0');
    expect(before).toMatch(/promiscuity 0/);
    const run = sandboxedCapture(lab, cap, 'aw0', ['net_raw'], 5);
    await until('capturing on aw0', () => /capturing on aw0/.test(run.stderr) || run.child.exitCode !== null);
    expect(run.stderr).toMatch(/capturing on aw0/);

    // who it runs as, and with what
    const status = procStatus(run.child.pid!);
    expect(status.get('Uid')?.split(/\s+/)).toEqual(Array(4).fill(String(NOBODY)));
    expect([status.get('CapEff'), status.get('CapPrm'), status.get('CapAmb'), status.get('CapBnd')]).toEqual(Array(4).fill(NET_RAW_MASK));
    expect(status.get('NoNewPrivs')).toBe('1');
    expect(status.get('Seccomp')).toBe('2');
    // promiscuous: the kernel's count went up for our socket's membership
    expect(await cap.ip('-d', 'link', 'show', 'aw0')).toMatch(/promiscuity 1/);

    await peer.exec(['arping', '-q', '-c', '3', '-W', '0.05', '-i', 'aw1', '198.51.100.1']);
    expect(await run.exit).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { frames: number; kernel: { received: number; dropped: number } | null };
    // three requests, three replies
    expect(summary.frames).toBeGreaterThanOrEqual(6);
    expect(summary.kernel?.received).toBeGreaterThanOrEqual(summary.frames);
    expect(summary.kernel?.dropped).toBe(0);
    expect(await cap.ip('-d', 'link', 'show', 'aw0')).toMatch(/promiscuity 0/);
  });

  it('without the capability: one line naming the interface, exit 2', async () => {
    const run = sandboxedCapture(lab, cap, 'aw0', [], 2);
    expect(await run.exit).toBe(2);
    expect(run.stderr).toMatch(/^arpwarden: [^\n]*aw0[^\n]*\n$/);
    expect(run.stdout).toBe('');
  });
});
