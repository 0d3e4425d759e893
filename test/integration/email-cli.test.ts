import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { muteCommand, unmuteCommand } from '../../src/cli/mute.js';
import { replayCommand } from '../../src/cli/replay.js';
import { UserError } from '../../src/common/user-error.js';
import { configSchema } from '../../src/config/schema.js';
import { type EmailJob, storedJobId } from '../../src/email/job.js';
import { CASE_CAPTURES, caseEmailJobs } from '../../fixtures/email-jobs.js';
import { runCli, removeConfigs, writeConfig } from './helpers/cli.js';
import { freePort } from './helpers/ports.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { RedisServer } from './helpers/redis-server.js';
import { capturePath, INVENTORY, testConfig } from './helpers/setup.js';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function replay(capture: string, opts: { outbox?: string; enqueue?: boolean; config?: string }): Promise<string> {
  const out = new Collect();
  await replayCommand(capturePath(capture), { format: 'text', speed: 'max', progress: false, inventory: INVENTORY, ...opts }, out);
  return out.text;
}

describe('emails from the command line', () => {
  let redis: RedisServer;
  let jobs: EmailJob[];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-cli-'));

  beforeAll(async () => {
    [redis, jobs] = await Promise.all([RedisServer.start(), caseEmailJobs()]);
  });

  afterAll(async () => {
    await redis?.close();
    removeConfigs();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('replay --outbox (embedded mode, no server): one .eml per customer incident, the same files on a second run', async () => {
    const dir = path.join(tmp, 'outbox');
    for (const c of CASE_CAPTURES) expect(await replay(c, { outbox: dir })).toMatch(/^emails: 1|^emails: 2/m);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(jobs.map((j) => `${storedJobId(j.jobId)}.eml`).sort());
    for (const job of jobs) {
      const mail = await simpleParser(fs.readFileSync(path.join(dir, `${storedJobId(job.jobId)}.eml`)));
      const to = mail.to;
      expect(Array.isArray(to) ? to[0].text : to?.text).toBe(job.customer.email);
      expect(mail.headers.get('x-arpwarden-case')).toBe(job.caseId);
      expect(mail.subject).toContain(job.ip);
      expect(mail.text).toContain(job.evidence.samples[0]);
    }
    const before = files.map((f) => fs.statSync(path.join(dir, f)).mtimeMs);
    for (const c of CASE_CAPTURES) expect(await replay(c, { outbox: dir })).toMatch(/^emails: 0 written .*already there [12],/m);
    expect(fs.readdirSync(dir).sort()).toEqual(files);
    expect(files.map((f) => fs.statSync(path.join(dir, f)).mtimeMs)).toEqual(before);
  });

  it('replay --enqueue, with a customer muted and unmuted from the command line', async () => {
    const config = testConfig(redis.url, 25);
    const file = writeConfig(config);
    const probe = new QueueProbe(config);
    try {
      const muted = await runCli(['mute', 'customer', 'c-77', '--hours', '2', '--config', file]);
      expect(muted).toMatchObject({ code: 0, stdout: 'muted customer c-77 for 2 h\n' });
      expect(await replay('case1-alias-netmask.pcap', { enqueue: true, config: file })).toMatch(/^emails: 0 enqueued on test-\S+ at redis:\/\/127\.0\.0\.1:\d+ \(cooldown 0, muted 1, dropped 0\)$/m);
      const out = new Collect();
      await unmuteCommand('customer', 'c-77', { config: file }, out);
      expect(out.text).toBe('unmuted customer c-77\n');
      await muteCommand('ip', '198.51.100.31', { config: file }, out);
      expect(await replay('case1-alias-netmask.pcap', { enqueue: true, config: file })).toMatch(/^emails: 1 enqueued .*\(cooldown 0, muted 0, dropped 0\)$/m);
      expect(await replay('case3-vm-nat-gateway.pcap', { enqueue: true, config: file })).toMatch(/^emails: 0 enqueued .*muted 1,/m);
      expect(await probe.counts()).toMatchObject({ waiting: 1 });
      const list = await runCli(['mute', 'list', '--config', file]);
      expect(list.stdout).toBe('ip:198.51.100.31  until unmuted\n');
    } finally {
      await probe.close();
    }
  });

  it('one line and exit 2 when Redis is not there (the worker: 75, retried by systemd), or not configured', async () => {
    const port = await freePort();
    const file = writeConfig(testConfig(`redis://127.0.0.1:${port}`, 25));
    const none = writeConfig(configSchema.parse({}));
    const commands = [['queue', 'status'], ['mute', 'ip', '198.51.100.7'], ['worker']];
    const [noneWorker, ...results] = await Promise.all([runCli(['worker', '--config', none]), ...commands.map((args) => runCli([...args, '--config', file]))]);
    results.forEach((r, i) => {
      expect({ args: commands[i], code: r.code, stdout: r.stdout, stderr: r.stderr })
        .toEqual({ args: commands[i], code: commands[i][0] === 'worker' ? 75 : 2, stdout: '', stderr: `arpwarden: redis redis://127.0.0.1:${port}: connection refused\n` });
    });
    expect(noneWorker).toMatchObject({ code: 2, stderr: expect.stringMatching(/^arpwarden: worker needs Redis: set queue.redis_url in \S+\n$/) });
    await expect(replay('case1-alias-netmask.pcap', { enqueue: true, config: file })).rejects.toThrow(`redis redis://127.0.0.1:${port}: connection refused`);
    await expect(replay('case1-alias-netmask.pcap', { enqueue: true, config: none })).rejects.toThrow(/--enqueue needs Redis: set queue.redis_url in .*arpwarden.yaml/);
    await expect(replayCommand(capturePath('case1-alias-netmask.pcap'), { format: 'text', speed: 'max', progress: false, outbox: tmp }, new Collect()))
      .rejects.toThrow(new UserError('--outbox needs --inventory: the emails come from the incidents'));
  });
});
