/**
 * The two captures an e2e test runs side by side inside a namespace: tcpdump
 * (the reference) writing a pcap file, and our LiveSource in a child process
 * (`capture-child.ts`). Also parses `tcpdump -nn -e -tt -xx -r` back into frames.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './capture-protocol.js';
import { exec, stopChild, type Netns } from './netns.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD_SCRIPT = fileURLToPath(new URL('./capture-child.ts', import.meta.url));

/** Rejects when `child` has not printed a line matching `pattern` on `stream` within `timeoutMs`. */
function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
  const input = child[stream];
  if (input === null) return Promise.reject(new Error(`${what}: ${stream} is not a pipe`));
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input });
    const seen: string[] = [];
    const done = (err: Error | null, line = ''): void => {
      clearTimeout(timer);
      rl.close();
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(line);
    };
    const onExit = (code: number | null): void => done(new Error(`${what} exited (${code}) before ready: ${seen.join(' | ')}`));
    const timer = setTimeout(() => done(new Error(`${what} not ready after ${timeoutMs} ms: ${seen.join(' | ')}`)), timeoutMs);
    rl.on('line', (line) => {
      seen.push(line);
      if (pattern.test(line)) done(null, line);
    });
    child.once('exit', onExit);
  });
}

// ---------------------------------------------------------------- tcpdump

export interface TcpdumpStats {
  exitCode: number | null;
  /** "N packets captured" */
  captured: number;
  /** "N packets received by filter" */
  receivedByFilter: number;
  /** "N packets dropped by kernel" */
  droppedByKernel: number;
  stderr: string;
}

export interface TcpdumpRun {
  readonly file: string;
  /** SIGTERM, wait for exit; tcpdump flushes the file and prints its counters */
  stop(): Promise<TcpdumpStats>;
}

/**
 * Starts `tcpdump -i DEV -nn -e -U --immediate-mode -w FILE FILTER` inside `ns` and
 * resolves once it says "listening on" (the filter is installed: nothing sent after that is missed).
 * `linkType` picks the data link (`-y`), e.g. LINUX_SLL on `any`, where tcpdump would choose SLL2.
 */
export async function startTcpdump(ns: Netns, dev: string, file: string, filter: string, linkType?: string): Promise<TcpdumpRun> {
  const child = ns.spawn(['tcpdump', '-i', dev, ...(linkType ? ['-y', linkType] : []), '-nn', '-e', '-U', '--immediate-mode', '-w', file, filter]);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  await waitForLine(child, 'stderr', /listening on/, 10_000, `tcpdump on ${ns.name}/${dev}`);
  return {
    file,
    async stop(): Promise<TcpdumpStats> {
      const exitCode = await stopChild(child, 'SIGTERM', 5_000);
      const count = (re: RegExp): number => Number(re.exec(stderr)?.[1] ?? NaN);
      return {
        exitCode,
        captured: count(/(\d+) packets? captured/),
        receivedByFilter: count(/(\d+) packets? received by filter/),
        droppedByKernel: count(/(\d+) packets? dropped by kernel/),
        stderr,
      };
    },
  };
}

// ---------------------------------------------------------------- kernel receive timestamps

/** A process that keeps the kernel stamping every received frame, until released. */
export interface TimestampHold {
  release(): Promise<void>;
}

/**
 * Makes Linux stamp each received frame's skb for as long as the hold lasts, so that every packet socket
 * (tcpdump's, the capture's) reads the same time for it.
 *
 * The kernel stamps an skb on receive only while some socket on the machine asked for receive
 * timestamps (net_enable_timestamp, a static key that the first such socket turns on later from a
 * workqueue, and the last one turns off). An unstamped frame gets its time from each packet socket
 * separately as it takes its copy (tpacket_rcv: ktime_get_real), a few µs apart. The tests' pings ask for
 * timestamps (iputils sets SO_TIMESTAMP), but a frame sent before the key is on, or between two pings,
 * would show different times in two captures of one port. The hold is a `ping` with a 10-minute interval
 * on the loopback of `ns`; it has set SO_TIMESTAMP by the time it prints its PING line.
 */
export async function holdReceiveTimestamps(ns: Netns): Promise<TimestampHold> {
  const child = ns.spawn(['ping', '-n', '-q', '-i', '600', '127.0.0.1']);
  await waitForLine(child, 'stdout', /^PING /, 10_000, `ping on ${ns.name}/lo (holding receive timestamps)`);
  return {
    async release(): Promise<void> {
      await stopChild(child, 'SIGTERM', 2_000);
    },
  };
}

/** One frame as tcpdump prints it with `-nn -e -tt -xx` (Ethernet or Linux cooked v1). */
export interface TcpdumpFrame {
  tsMicros: number;
  /** the line after the timestamp, e.g. `aa:.. > ff:.., ethertype ARP (0x0806), length 42: Request who-has ...` */
  text: string;
  ethSrc: string;
  /** null on Linux cooked captures, which keep only the source */
  ethDst: string | null;
  /** Linux cooked: `In`, `B`, `M`, `P` or `Out`; null on Ethernet */
  sllPacketType: string | null;
  /** frame length on the wire (for Linux cooked, with its 16-byte header) */
  wireLen: number;
  /** outermost first; the TPID is the ethertype that announced the tag */
  tags: { tpid: number; vid: number; pcp: number }[];
  /** the innermost ethertype */
  ethertype: number;
  arp: TcpdumpArp | null;
  /** the captured bytes (from -xx) */
  bytes: Buffer;
}

/** What tcpdump's print-arp.c shows: a reply has no target IP in its output. */
export type TcpdumpArp =
  | { op: 1; senderIp: string; targetIp: string; targetMac: string | null }
  | { op: 2; senderIp: string; senderMac: string };

const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';
const ETHER_HEADER = new RegExp(`^(${MAC}) > (${MAC}), ethertype \\S+ \\((0x[0-9a-f]{4})\\), length (\\d+): (.*)$`);
const SLL_HEADER = new RegExp(`^\\s*(In|B|M|P|Out|\\?) (${MAC}) ethertype \\S+ \\((0x[0-9a-f]{4})\\), length (\\d+): (.*)$`);
/** inside a Linux cooked frame tcpdump names the next type without its number */
const VLAN = /^vlan (\d+), p (\d+)(?:, DEI)?, ethertype (\S+)(?: \((0x[0-9a-f]{4})\))?, (.*)$/;
const TYPE_NAMES: Readonly<Record<string, number>> = { ARP: 0x0806, IPv4: 0x0800, '802.1Q': 0x8100, '802.1Q-QinQ': 0x88a8, '802.1Q-9100': 0x9100 };
const REQUEST = new RegExp(`^Request who-has (\\S+)(?: \\((${MAC})\\))? tell (\\S+), length \\d+$`);
const REPLY = new RegExp(`^Reply (\\S+) is-at (${MAC}), length \\d+$`);

interface Header {
  tsMicros: number;
  text: string;
  ethSrc: string;
  ethDst: string | null;
  sllPacketType: string | null;
  typeHex: string;
  lenText: string;
  after: string;
}

function parseHeader(line: string): Header | null {
  const ts = /^(\d+)\.(\d{6}) (.*)$/.exec(line);
  if (!ts) return null;
  const tsMicros = Number(ts[1]) * 1e6 + Number(ts[2]);
  const text = ts[3];
  const eth = ETHER_HEADER.exec(text);
  if (eth) return { tsMicros, text, ethSrc: eth[1], ethDst: eth[2], sllPacketType: null, typeHex: eth[3], lenText: eth[4], after: eth[5] };
  const sll = SLL_HEADER.exec(text);
  if (sll) return { tsMicros, text, ethSrc: sll[2], ethDst: null, sllPacketType: sll[1], typeHex: sll[3], lenText: sll[4], after: sll[5] };
  return null;
}

/** Reads a capture file back through tcpdump (`-nn -e -tt -xx -r`: only reads the file). */
export async function readTcpdumpFile(file: string): Promise<TcpdumpFrame[]> {
  const { stdout } = await exec(['tcpdump', '-nn', '-e', '-tt', '-xx', '-r', file]);
  return parseTcpdump(stdout);
}

export function parseTcpdump(output: string): TcpdumpFrame[] {
  const frames: TcpdumpFrame[] = [];
  let hex: string[] = [];
  const flush = (): void => {
    const last = frames.at(-1);
    if (last) last.bytes = Buffer.from(hex.join(''), 'hex');
    hex = [];
  };
  for (const line of output.split('\n')) {
    const dump = /^\t0x[0-9a-f]{4}:\s+((?:[0-9a-f]{2,4}\s?)+)/.exec(line);
    if (dump) {
      hex.push(dump[1].replace(/\s+/g, ''));
      continue;
    }
    if (line.trim() === '') continue;
    const head = parseHeader(line);
    if (head === null) throw new Error(`unexpected tcpdump line: ${line}`);
    flush();
    const { ethSrc, ethDst, sllPacketType, typeHex, lenText, after } = head;
    const tags: TcpdumpFrame['tags'] = [];
    let type = parseInt(typeHex, 16);
    let rest = after;
    for (let v = VLAN.exec(rest); v; v = VLAN.exec(rest)) {
      tags.push({ tpid: type, vid: Number(v[1]), pcp: Number(v[2]) });
      type = v[4] !== undefined ? parseInt(v[4], 16) : TYPE_NAMES[v[3]] ?? -1;
      rest = v[5];
    }
    let arp: TcpdumpArp | null = null;
    const rq = REQUEST.exec(rest);
    const rp = REPLY.exec(rest);
    if (type === 0x0806 && rq) arp = { op: 1, targetIp: rq[1], targetMac: rq[2] ?? null, senderIp: rq[3] };
    else if (type === 0x0806 && rp) arp = { op: 2, senderIp: rp[1], senderMac: rp[2] };
    frames.push({
      tsMicros: head.tsMicros, text: head.text, ethSrc, ethDst, sllPacketType,
      wireLen: Number(lenText), tags, ethertype: type, arp, bytes: Buffer.alloc(0),
    });
  }
  flush();
  return frames;
}

// ---------------------------------------------------------------- LiveSource child

export type ChildDone = Extract<ChildMessage, { type: 'done' }>;
export type ChildError = Extract<ChildMessage, { type: 'error' }>;

function childArgv(device: string, seconds: number, filter?: string): string[] {
  return [process.execPath, '--import', 'tsx', CHILD_SCRIPT, device, String(seconds), ...(filter === undefined ? [] : [filter])];
}

function messages(child: ChildProcess): AsyncIterableIterator<ChildMessage> {
  if (child.stdout === null) throw new Error('capture child: stdout is not a pipe');
  const rl = createInterface({ input: child.stdout });
  const it = rl[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() { return this; },
    async next(): Promise<IteratorResult<ChildMessage>> {
      const r = await it.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: JSON.parse(r.value) as ChildMessage };
    },
  };
}

/** LiveSource running in a child inside a namespace. */
export class LiveCaptureChild {
  private constructor(private readonly child: ChildProcess, private readonly msgs: AsyncIterableIterator<ChildMessage>,
    readonly linkType: number, readonly filter: string, private readonly stderr: () => string) {}

  /** Starts the child; resolves once the capture is open, rejects with its error line if it cannot open. */
  static async start(ns: Netns, device: string, options: { seconds?: number; filter?: string } = {}): Promise<LiveCaptureChild> {
    const child = ns.spawn(childArgv(device, options.seconds ?? 30, options.filter), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const msgs = messages(child);
    const first = await withTimeout(msgs.next(), 15_000, () => `capture child on ${ns.name}/${device} not ready: ${stderr}`);
    if (first.done) throw new Error(`capture child on ${ns.name}/${device} ended before ready: ${stderr}`);
    const m = first.value;
    if (m.type === 'error') throw new Error(`capture child on ${ns.name}/${device}: ${m.name}: ${m.message}`);
    if (m.type !== 'ready') throw new Error(`capture child: expected ready, got ${m.type}`);
    return new LiveCaptureChild(child, msgs, m.linkType, m.filter, () => stderr);
  }

  /** Aborts the capture (SIGTERM) and returns what it saw, and the child's exit code. */
  async stop(): Promise<{ done: ChildDone; exitCode: number | null; stderr: string }> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once('exit', (code) => resolve(code));
    });
    this.child.kill('SIGTERM');
    const next = await withTimeout(this.msgs.next(), 10_000, () => `capture child did not report after SIGTERM: ${this.stderr()}`);
    if (next.done || next.value.type !== 'done') throw new Error(`capture child: no result after SIGTERM: ${this.stderr()}`);
    const exitCode = await withTimeout(exited, 5_000, () => 'capture child did not exit');
    return { done: next.value, exitCode, stderr: this.stderr() };
  }
}

/** Runs the child on a device that must fail to open; resolves with its error line and exit code. */
export async function captureChildError(ns: Netns, device: string): Promise<ChildError & { exitCode: number | null }> {
  const r = await ns.exec(childArgv(device, 1), { allowFailure: true, timeoutMs: 15_000, cwd: REPO_ROOT });
  const lines = r.stdout.trim().split('\n').filter((l) => l !== '');
  const last = lines.length > 0 ? (JSON.parse(lines[lines.length - 1]) as ChildMessage) : null;
  if (last?.type !== 'error') throw new Error(`capture child on ${device}: expected an error, got ${r.stdout} ${r.stderr}`);
  return { ...last, exitCode: r.code };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message())), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
