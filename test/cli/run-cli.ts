import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs `arpwarden ARGS` from the sources, as a user would, with no terminal; `input` is piped to its stdin (else stdin is /dev/null). */
export function runCli(args: string[], opts: { onSpawn?: (kill: (sig: NodeJS.Signals) => void, output: () => { stdout: string; stderr: string }) => void; timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: Uint8Array } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    // one process (tsx as a loader, not its wrapper process), so signals reach arpwarden itself
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'], ...(opts.env !== undefined ? { env: opts.env } : {}) });
    if (opts.input !== undefined) {
      // a reader that stops early (an error line) closes the pipe: not the test's failure (stdio's type is chosen at run time: streams are nullable)
      child.stdin!.on('error', () => {});
      child.stdin!.end(opts.input);
    }
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    opts.onSpawn?.((sig) => child.kill(sig), () => ({ stdout, stderr }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr.split('\n').filter((l) => !l.includes('nodedir')).join('\n') });
    });
  });
}
