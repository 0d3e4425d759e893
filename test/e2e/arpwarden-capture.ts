/**
 * `arpwarden capture --format json` run as its user runs it, inside a namespace:
 * the CLI itself (src/cli/main.ts through tsx), one NDJSON line per incident
 * change while it captures, and a summary line when it stops.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { IncidentJson } from '../../src/incidents/incident-json.js';
import { stopChild, type Netns } from './netns.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface IncidentEvent {
  /** `incident_folded`: a NOC-only incident that went into a case incident of the same IP (or a flood), and left the open set */
  event: 'incident_opened' | 'incident_updated' | 'incident_resolved' | 'incident_folded';
  incident: IncidentJson;
}

/** The last line: the traffic summary and every incident of the run (fields the tests read). */
export interface CaptureSummary {
  event: 'summary';
  frames: number;
  arp: { frames: number; requests: number; replies: number; gratuitous: number };
  incidents: IncidentJson[];
  /** pcap_stats of the capture's socket */
  kernel: { received: number; dropped: number; ifDropped: number } | null;
  /**
   * The line's other fields (all but `event`, `file`, `kernel` and `incidents`): the traffic summary, which
   * is what `replayJson` gives for a file holding the same frames, and whatever else the capture reports.
   */
  traffic: Record<string, unknown>;
}

export interface CaptureResult {
  events: IncidentEvent[];
  summary: CaptureSummary;
  /** how the process ended: by itself after the summary, or killed by us (SIGTERM again, then SIGKILL) */
  exit: { alone: boolean; code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
}

export interface ArpwardenCaptureOptions {
  inventory: string;
  config?: string;
  /** `--seconds`: a backstop, the tests stop it with SIGTERM as systemd does @defaultValue 60 */
  seconds?: number;
  /** more flags (`--web`, `--state`, `--log-format json`) */
  args?: readonly string[];
}

type Line = IncidentEvent | CaptureSummary;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `ip` is null on a flood incident (its senders are in `flood`). */
function isIncident(v: unknown): v is IncidentJson {
  return isRecord(v) && typeof v.case === 'string' && (typeof v.ip === 'string' || v.ip === null) && typeof v.mac === 'string' && isRecord(v.counts);
}

function isKernelStats(v: unknown): v is NonNullable<CaptureSummary['kernel']> {
  return isRecord(v) && typeof v.received === 'number' && typeof v.dropped === 'number' && typeof v.ifDropped === 'number';
}

/** One stdout line, checked just enough for the fields the tests read. */
export function parseCaptureLine(line: string): Line {
  const v: unknown = JSON.parse(line);
  if (!isRecord(v)) throw new Error(`capture printed a line that is not an object: ${line}`);
  const e = v.event;
  if (e === 'summary' && Array.isArray(v.incidents) && v.incidents.every(isIncident) && isRecord(v.arp) && typeof v.frames === 'number') {
    const { event: _event, file: _file, kernel, incidents: _incidents, ...traffic } = v;
    return {
      event: e, frames: v.frames, arp: v.arp as CaptureSummary['arp'], incidents: v.incidents,
      kernel: isKernelStats(kernel) ? kernel : null, traffic,
    };
  }
  if ((e === 'incident_opened' || e === 'incident_updated' || e === 'incident_resolved' || e === 'incident_folded') && isIncident(v.incident)) {
    return { event: e, incident: v.incident };
  }
  throw new Error(`capture printed an unexpected line: ${line}`);
}

/** `arpwarden capture -i DEV --inventory INV [--config CFG] --format json` inside `ns`. */
export class ArpwardenCapture {
  private readonly lines: Line[] = [];
  private stderrText = '';
  private summarySeen: Promise<CaptureSummary>;

  private constructor(private readonly child: ChildProcess) {
    let onSummary: (s: CaptureSummary) => void = () => {};
    let onEnd: (e: Error) => void = () => {};
    this.summarySeen = new Promise<CaptureSummary>((resolve, reject) => { onSummary = resolve; onEnd = reject; });
    this.summarySeen.catch(() => {}); // observed in stop(); a run that is never stopped must not warn
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { this.stderrText += s; });
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (text) => {
      if (text.trim() === '') return;
      try {
        const line = parseCaptureLine(text);
        this.lines.push(line);
        if (line.event === 'summary') onSummary(line);
      } catch (e) {
        onEnd(e instanceof Error ? e : new Error(String(e)));
      }
    });
    rl.on('close', () => onEnd(new Error(`capture ended without a summary line: ${this.stderrText.trim()}`)));
  }

  /** Starts the capture and resolves once it says it is capturing (the handle is open, the filter set). */
  static async start(ns: Netns, dev: string, options: ArpwardenCaptureOptions): Promise<ArpwardenCapture> {
    const seconds = options.seconds ?? 60;
    const argv = [process.execPath, '--import', 'tsx', CLI, 'capture', '-i', dev, '--inventory', options.inventory,
      ...(options.config !== undefined ? ['--config', options.config] : []), '--seconds', String(seconds), '--format', 'json',
      ...(options.args ?? [])];
    const child = ns.spawn(argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxSeconds: seconds + 5 });
    const capture = new ArpwardenCapture(child);
    await capture.ready(`arpwarden capture on ${ns.name}/${dev}`, 20_000);
    return capture;
  }

  /** What it has logged so far (stderr). */
  get stderr(): string {
    return this.stderrText;
  }

  /** The incident events printed so far. */
  get events(): IncidentEvent[] {
    return this.lines.filter((l): l is IncidentEvent => l.event !== 'summary');
  }

  /**
   * SIGTERM (the capture stops and prints its summary), then up to `exitMs` for the process to exit by
   * itself; if it does not, it is stopped (SIGTERM again, SIGKILL to its group after 2 s).
   */
  async stop(exitMs = 3_000): Promise<CaptureResult> {
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve({ code: this.child.exitCode, signal: this.child.signalCode });
      else this.child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.child.kill('SIGTERM');
    const summary = await withTimeout(this.summarySeen, 15_000, () => `no summary 15 s after SIGTERM: ${this.stderrText.trim()}`);
    const alone = await Promise.race([exited.then(() => true), sleep(exitMs).then(() => false)]);
    if (!alone) await stopChild(this.child, 'SIGTERM', 2_000);
    const { code, signal } = await exited;
    return { events: this.events, summary, exit: { alone, code, signal }, stderr: this.stderrText };
  }

  private ready(what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (/capturing on/.test(this.stderrText)) done(null);
      };
      const onExit = (code: number | null): void => done(new Error(`${what} exited (${code}) before capturing: ${this.stderrText.trim()}`));
      const timer = setTimeout(() => done(new Error(`${what} not capturing after ${timeoutMs} ms: ${this.stderrText.trim()}`)), timeoutMs);
      const done = (err: Error | null): void => {
        clearTimeout(timer);
        this.child.stderr?.off('data', check);
        this.child.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      this.child.stderr?.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message())), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
