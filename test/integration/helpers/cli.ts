import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../../src/config/schema.js';
import { ROOT } from './setup.js';
import { waitFor } from './ports.js';

export { runCli } from '../../cli/run-cli.js';

const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

let configDir: string | null = null;
let configs = 0;

/** The configuration as a file, for the CLI (JSON is YAML); removeConfigs() in afterAll deletes them. */
export function writeConfig(config: Config): string {
  configDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-cfg-'));
  const file = path.join(configDir, `${++configs}`, 'arpwarden.yaml');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export function removeConfigs(): void {
  if (configDir !== null) fs.rmSync(configDir, { recursive: true, force: true });
  configDir = null;
}

/** A long-running `arpwarden ARGS` (a worker): its output as it comes, and its exit. */
export class CliProcess {
  readonly proc: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.proc.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
  }

  async waitOutput(re: RegExp, timeoutMs = 20_000): Promise<void> {
    await waitFor(`output ${re} (have: ${this.output.slice(-500)})`, () => re.test(this.output) || this.proc.exitCode !== null, timeoutMs);
    if (!re.test(this.output)) throw new Error(`exited ${this.proc.exitCode} before ${re}: ${this.output}`);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
  }
}
