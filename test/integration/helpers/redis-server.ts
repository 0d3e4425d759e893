import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './ports.js';

const REDIS_SERVER = '/usr/bin/redis-server';

/** A real redis-server on a free loopback port, in a temp dir, with no persistence of its own. */
export class RedisServer {
  private proc: ChildProcess | null = null;
  private log = '';

  private constructor(readonly port: number, readonly dir: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-redis-'));
    const server = new RedisServer(await freePort(), dir);
    await server.up();
    return server;
  }

  /** Starts it again on the same port and dir (loading dump.rdb if stop() saved one). */
  async up(): Promise<void> {
    const proc = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--protected-mode', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout!.on('data', (d: Buffer) => { this.log += d.toString(); });
    proc.stderr!.on('data', (d: Buffer) => { this.log += d.toString(); });
    await waitFor(`redis-server on port ${this.port}\n${this.log}`, async () => {
      if (proc.exitCode !== null) throw new Error(`redis-server exited ${proc.exitCode}: ${this.log}`);
      return this.log.includes('Ready to accept connections');
    });
  }

  /** Starts it again if a test stopped it (and failed before starting it). */
  async ensureUp(): Promise<void> {
    if (this.proc === null) await this.up();
  }

  /** Stops it; with `save` it writes its data first (SHUTDOWN SAVE), so up() brings the same data back. */
  async stop(opts: { save?: boolean } = {}): Promise<void> {
    const proc = this.proc;
    if (proc === null || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    if (opts.save) {
      const c = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      await c.connect();
      await c.call('SHUTDOWN', 'SAVE').catch(() => {});
      c.disconnect();
    } else {
      proc.kill('SIGKILL');
    }
    await exited;
    this.proc = null;
  }

  /** SIGSTOP: the server holds its connections and answers nothing (a host frozen, a network partition) until resume(). */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  async close(): Promise<void> {
    this.resume();
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
