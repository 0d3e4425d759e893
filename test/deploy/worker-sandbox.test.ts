/**
 * The worker as its unit runs it, without systemd (test/e2e/unit-sandbox.ts): nobody, no capability, the unit's
 * sandbox and its own system call filter and address families, its Redis password from a systemd credential
 * ($CREDENTIALS_DIRECTORY) and none in the configuration file. Against a real redis-server that requires the
 * password: the worker starts, and stops on SIGTERM with exit 0; without the credential it exits 75, which the
 * unit retries (exit 2, a user error, it does not). Root only; uses the built CLI (dist/).
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCi } from '../e2e/netns.js';
import { NOBODY, sandboxTree, unitSandboxArgv } from '../e2e/unit-sandbox.js';
import { RedisServer } from '../integration/helpers/redis-server.js';

// the files the unprivileged worker reads, where it can read them (the checkout, or a copy: see sandboxTree)
let tree: ReturnType<typeof sandboxTree>;
const isRoot = process.getuid?.() === 0;
const PASSWORD = 'a redis password: with @ and /';

interface Run { stdout: string; stderr: string; exit: Promise<number | null>; kill: () => void }

function worker(config: string, credentials: string | null): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ARPWARDEN_REDIS_PASSWORD;
  delete env.CREDENTIALS_DIRECTORY;
  if (credentials !== null) env.CREDENTIALS_DIRECTORY = credentials;
  const [cmd, ...args] = unitSandboxArgv(tree.path('systemd/arpwarden-worker.service'), [], [process.execPath, tree.path('dist/cli/main.js'), 'worker', '--config', config], tree.root);
  const child = spawn(cmd, args, { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { stdout: '', stderr: '', exit: new Promise((r) => child.once('exit', (code) => r(code))), kill: () => child.kill('SIGTERM') };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { run.stdout += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { run.stderr += s; });
  // never outlive the test
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  void run.exit.then(() => clearTimeout(timer));
  return run;
}

async function until(what: string, pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!isRoot && !inCi())('the worker in its unit\'s sandbox, its Redis password a systemd credential', () => {
  let redis: RedisServer;
  // not under /tmp: the sandbox has a private one
  let dir = '';
  let config = '';
  let credentials = '';

  beforeAll(async () => {
    if (!isRoot) throw new Error('the worker sandbox test needs root (setpriv, mount namespaces); CI is set, so it fails instead of skipping');
    tree = sandboxTree();
    redis = await RedisServer.start();
    const admin = new Redis(redis.url);
    await admin.config('SET', 'requirepass', PASSWORD);
    admin.disconnect();
    dir = mkdtempSync('/run/aw-deploy-worker-');
    chmodSync(dir, 0o755);
    config = join(dir, 'arpwarden.yaml');
    // an identity of its own: the worker refuses the built-in example one
    writeFileSync(config, `queue:\n  redis_url: ${redis.url}\nemail:\n  from: Lab Hosting NOC <noc@lab.example>\n  provider: Lab Hosting\n`, { mode: 0o644 });
    // as systemd hands them over: a directory and files only the service's user reads
    credentials = join(dir, 'credentials');
    mkdirSync(credentials, { mode: 0o500 });
    writeFileSync(join(credentials, 'redis-password'), `${PASSWORD}\n`, { mode: 0o400 });
    chownSync(join(credentials, 'redis-password'), NOBODY, NOBODY);
    chownSync(credentials, NOBODY, NOBODY);
  });
  afterAll(async () => {
    await redis?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    tree?.remove();
  });

  it('starts with the password from the credential, and stops on SIGTERM with exit 0', async () => {
    const run = worker(config, credentials);
    await until('the worker to start', () => /worker: queue /.test(run.stdout) || run.stderr !== '');
    expect(run.stderr).toBe('');
    // the URL it prints hides the password it was given
    expect(run.stdout).not.toContain('redis password');
    run.kill();
    expect(await run.exit).toBe(0);
    expect(run.stdout).toMatch(/worker: stopped\n$/);
  });

  it('without it: Redis refuses, one line, exit 75 (retried by the unit)', async () => {
    const run = worker(config, null);
    expect(await run.exit).toBe(75);
    expect(run.stderr).toMatch(/^arpwarden: redis redis:\/\/127\.0\.0\.1:\d+: authentication failed \([^\n]*\)\n$/);
  });
});
