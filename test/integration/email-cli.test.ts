import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { muteCommand, unmuteCommand } from '../../src/cli/mute.js';
import { replayCommand } from '../../src/cli/replay.js';
import { UserError } from '../../src/common/user-error.js';
import { type Config, configSchema } from '../../src/config/schema.js';
import { type EmailJob, storedJobId } from '../../src/email/job.js';
import { CASE_CAPTURES, caseEmails } from '../../fixtures/email-jobs.js';
import { runCli, removeConfigs, writeConfig } from './helpers/cli.js';
import type { CliResult } from '../cli/run-cli.js';
import { freePort } from './helpers/ports.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { RedisServer } from './helpers/redis-server.js';
import { capturePath, INVENTORY, TEST_EMAIL, testConfig } from './helpers/setup.js';

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
    [redis, jobs] = await Promise.all([RedisServer.start(), caseEmails()]);
  });

  afterAll(async () => {
    await redis?.close();
    removeConfigs();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('replay --outbox (embedded mode, no server): one .eml per customer incident, or per block (two on one block: one), the same files on a second run', async () => {
    const dir = path.join(tmp, 'outbox');
    // one email a capture, but where a block's addresses need different fixes: the unsplit /28's member and its
    // broadcast in use, the portable /29's broadcast and its gateway (the router's)
    const written = (c: string): number => (c === 'case1a-block-netmask.pcap' || c === 'portable-block-unusable.pcap' ? 2 : 1);
    for (const c of CASE_CAPTURES) expect(await replay(c, { outbox: dir })).toMatch(new RegExp(`^emails: ${written(c)} written`, 'm'));
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
    for (const c of CASE_CAPTURES) expect(await replay(c, { outbox: dir })).toMatch(new RegExp(`^emails: 0 written .*already there ${written(c)},`, 'm'));
    expect(fs.readdirSync(dir).sort()).toEqual(files);
    expect(files.map((f) => fs.statSync(path.join(dir, f)).mtimeMs)).toEqual(before);
  });

  it('the example identity: an outbox preview says so once; the worker refuses it, and a from that is no mailbox, in one line (exit 2)', async () => {
    const example = writeConfig(configSchema.parse({ queue: { redis_url: redis.url } }));
    const own = writeConfig(configSchema.parse({ email: TEST_EMAIL }));
    const notice = /^arpwarden: outbox: the emails are signed with the built-in example identity \(Example Hosting, Example Hosting NOC <noc@example\.net>\); set email\.from and email\.provider before a worker sends any$/gm;
    const preview = (config: string, name: string): Promise<CliResult> =>
      runCli(['replay', capturePath('case1-alias-netmask.pcap'), '--inventory', INVENTORY, '--outbox', path.join(tmp, name), '--config', config]);
    const [byExample, byOwn] = await Promise.all([preview(example, 'example'), preview(own, 'own')]);
    expect(byExample.code).toBe(0);
    expect(byExample.stderr.match(notice)).toHaveLength(1);
    expect(byOwn).toMatchObject({ code: 0 });
    expect(byOwn.stderr).not.toMatch(/example identity/);
    const eml = await simpleParser(fs.readFileSync(path.join(tmp, 'own', fs.readdirSync(path.join(tmp, 'own'))[0])));
    expect(eml.from?.value).toEqual([{ name: 'Test Provider NOC', address: 'noc@provider.example' }]);
    expect(eml.messageId).toMatch(/^<alias-netmask_198\.51\.100\.7_[0-9a-f]{16}@provider\.example>$/);

    const badFrom = writeConfig({ ...configSchema.parse({ email: TEST_EMAIL }), email: { from: 'Our NOC', provider: 'P' } } as unknown as Config);
    const [worker, half, refused] = await Promise.all([
      runCli(['worker', '--config', example]),
      runCli(['worker', '--config', writeConfig(configSchema.parse({ queue: { redis_url: redis.url }, email: { from: TEST_EMAIL.from } }))]),
      runCli(['worker', '--config', badFrom]),
    ]);
    expect(worker).toEqual({ code: 2, stdout: '', stderr: `arpwarden: worker: email.from and email.provider are still the built-in example (Example Hosting, Example Hosting NOC <noc@example.net>): set email.from and email.provider in ${example} before sending to customers\n` });
    expect(half).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^arpwarden: worker: email\.provider is still the built-in example .* set email\.provider in \S+ before sending to customers\n$/) });
    expect(refused).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^arpwarden: \S+:\d+: email\.from: expected a mailbox: noc@provider\.example or Our NOC <noc@provider\.example>\n$/) });
  });

  it('replay --enqueue, with a customer muted and unmuted from the command line: muted jobs are queued all the same (the worker defers them to the mute\'s end)', async () => {
    const config = testConfig(redis.url, 25);
    const file = writeConfig(config);
    const probe = new QueueProbe(config);
    try {
      const muted = await runCli(['mute', 'customer', 'c-77', '--hours', '2', '--config', file]);
      expect(muted).toMatchObject({ code: 0, stdout: 'muted customer c-77 for 2 h\n' });
      // not checked against an inventory: said after the mute (stderr), so that an error stays one line
      expect(muted.stderr).toBe('arpwarden: customer c-77 was not checked against an inventory (--inventory INV.yaml checks it: a typo mutes nobody)\n');
      // checked against the inventory: known, so taken, and nothing said about it
      const checked = await runCli(['mute', 'customer', 'c-77', '--hours', '2', '--config', file, '--inventory', 'fixtures/inventory.yaml']);
      expect(checked).toMatchObject({ code: 0, stdout: 'muted customer c-77 for 2 h\n', stderr: '' });
      expect(await replay('case1-alias-netmask.pcap', { enqueue: true, config: file })).toMatch(/^emails: 1 enqueued on test-\S+ at redis:\/\/127\.0\.0\.1:\d+ \(cooldown 0, muted 0, dropped 0\)$/m);
      const out = new Collect();
      await unmuteCommand('customer', 'c-77', { config: file }, out);
      expect(out.text).toBe('unmuted customer c-77\n');
      await muteCommand('ip', '198.51.100.31', { config: file }, out);
      expect(await replay('case1-alias-netmask.pcap', { enqueue: true, config: file })).toMatch(/^emails: 1 enqueued .*\(cooldown 0, muted 0, dropped 0\)$/m);
      expect(await replay('case3-vm-nat-gateway.pcap', { enqueue: true, config: file })).toMatch(/^emails: 1 enqueued .*muted 0,/m);
      // the second replay of case 1 added nothing (same job id)
      expect(await probe.counts()).toMatchObject({ waiting: 2 });
      const list = await runCli(['mute', 'list', '--config', file]);
      expect(list.stdout).toBe('ip:198.51.100.31  until unmuted\n');
    } finally {
      await probe.close();
    }
  });

  it('one line and exit 2 when Redis is not there (the worker waits for it: worker-redis-wait.test.ts), or not configured', async () => {
    const port = await freePort();
    const file = writeConfig(testConfig(`redis://127.0.0.1:${port}`, 25));
    const none = writeConfig(configSchema.parse({ email: TEST_EMAIL }));
    const commands = [['queue', 'status'], ['queue', 'list'], ['queue', 'resend', 'x_1', '--yes'], ['mute', 'ip', '198.51.100.7']];
    const [noneWorker, ...results] = await Promise.all([runCli(['worker', '--config', none]), ...commands.map((args) => runCli([...args, '--config', file]))]);
    results.forEach((r, i) => {
      expect({ args: commands[i], code: r.code, stdout: r.stdout, stderr: r.stderr })
        .toEqual({ args: commands[i], code: 2, stdout: '', stderr: `arpwarden: redis redis://127.0.0.1:${port}: connection refused\n` });
    });
    expect(noneWorker).toMatchObject({ code: 2, stderr: expect.stringMatching(/^arpwarden: worker needs Redis: set queue.redis_url in \S+\n$/) });
    await expect(replay('case1-alias-netmask.pcap', { enqueue: true, config: file })).rejects.toThrow(`redis redis://127.0.0.1:${port}: connection refused`);
    await expect(replay('case1-alias-netmask.pcap', { enqueue: true, config: none })).rejects.toThrow(/--enqueue needs Redis: set queue.redis_url in .*arpwarden.yaml/);
    await expect(replayCommand(capturePath('case1-alias-netmask.pcap'), { format: 'text', speed: 'max', progress: false, outbox: tmp }, new Collect()))
      .rejects.toThrow(new UserError('--outbox needs --inventory: the emails come from the incidents'));
  });
});
