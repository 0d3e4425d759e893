/**
 * `arpwarden capture ... --web 127.0.0.1:PORT --format json` inside a namespace: the CLI itself (through tsx), its
 * incident lines as they come, and a stop that waits for it to exit.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type IncidentEvent, parseCaptureLine } from '../e2e/arpwarden-capture.js';
import { stopChild, type Netns } from '../e2e/netns.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface WebCaptureOptions {
  inventory: string;
  config: string;
  /** the port inside the namespace (its loopback is its own) */
  port: number;
  seconds?: number;
}

export class WebCapture {
  readonly events: IncidentEvent[] = [];
  stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { this.stderr += s; });
    createInterface({ input: child.stdout! }).on('line', (text) => {
      if (text.trim() === '') return;
      const line = parseCaptureLine(text);
      if (line.event !== 'summary') this.events.push(line);
    });
  }

  static async start(ns: Netns, dev: string, o: WebCaptureOptions): Promise<WebCapture> {
    const seconds = o.seconds ?? 240;
    const argv = [process.execPath, '--import', 'tsx', CLI, 'capture', '-i', dev, '--inventory', o.inventory, '--config', o.config,
      '--web', `127.0.0.1:${o.port}`, '--seconds', String(seconds), '--format', 'json'];
    const c = new WebCapture(ns.spawn(argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxSeconds: seconds + 5 }));
    await c.until(() => /web API on/.test(c.stderr) && /capturing on/.test(c.stderr), 30_000, 'capturing with its web API');
    return c;
  }

  /** Resolves once `cond` holds (checked every 50 ms), or rejects after `ms` saying what was awaited. */
  async until(cond: () => boolean, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (this.child.exitCode !== null) throw new Error(`capture exited (${this.child.exitCode}) before ${what}: ${this.stderr.trim()}`);
      if (Date.now() > end) throw new Error(`capture not ${what} after ${ms} ms: ${this.stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  opened(ip: string): IncidentEvent | undefined {
    return this.events.find((e) => e.event === 'incident_opened' && e.incident.ip === ip);
  }

  async stop(): Promise<number | null> {
    return stopChild(this.child, 'SIGTERM', 10_000);
  }
}
