import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const PRELOAD = path.join(import.meta.dirname, 'report-max-rss.mjs');

export interface CliRssResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; maxRssBytes: number }

/** `arpwarden ARGS` from the sources in a child, with its peak RSS. */
export function runCliMeasured(args: readonly string[], timeoutMs = 120_000): Promise<CliRssResult> {
  const rssFile = path.join(os.tmpdir(), `aw-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', PRELOAD, MAIN, ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AW_MAX_RSS_FILE: rssFile } });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let maxRssBytes = Number.NaN;
      try { maxRssBytes = Number(readFileSync(rssFile, 'utf8')); } catch { /* killed before its exit handler */ }
      rmSync(rssFile, { force: true });
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr, maxRssBytes });
    });
  });
}
