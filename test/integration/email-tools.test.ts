/**
 * The operator's tools around the emails, run as a user would (the CLI), against a real
 * redis-server and a real SMTP server (smtp-server; the mail parsed back).
 */
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { storedJobId } from '../../src/email/job.js';
import { runCli, removeConfigs, writeConfig } from './helpers/cli.js';
import { freePort } from './helpers/ports.js';
import { RedisServer } from './helpers/redis-server.js';
import { capturePath, INVENTORY, TEST_EMAIL, testConfig } from './helpers/setup.js';
import { SmtpSink } from './helpers/smtp-sink.js';

describe('email test and cooldown list/clear', () => {
  let redis: RedisServer;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = new SmtpSink(await freePort());
    [redis] = await Promise.all([RedisServer.start(), smtp.start()]);
  });

  afterAll(async () => {
    await Promise.all([redis?.close(), smtp?.stop()]);
    removeConfigs();
  });

  it('email test --to: one short email in the provider\'s identity through the relay; prints its 250 and the Message-ID', async () => {
    const config = writeConfig(testConfig(redis.url, smtp.port));
    const r = await runCli(['email', 'test', '--to', 'ops@provider.example', '--config', config]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [accepted, idLine] = r.stdout.trim().split('\n');
    expect(accepted).toMatch(new RegExp(`^email test: relay 127\\.0\\.0\\.1:${smtp.port} accepted the email to ops@provider\\.example: 250 `));
    const messageId = /^email test: Message-ID (<test_\d{8}_[0-9a-f]{12}@provider\.example>)$/.exec(idLine)![1];
    expect(smtp.delivered).toHaveLength(1);
    const mail = smtp.delivered[0];
    expect(mail.messageId).toBe(messageId);
    expect(mail.from?.value).toEqual([{ name: 'Test Provider NOC', address: 'noc@provider.example' }]);
    expect(mail.subject).toMatch(/^\[Test Provider\] arpwarden: test email through 127\.0\.0\.1:\d+ \[test_/);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain('arpwarden email test');
  });

  it('email test: a relay that is not there, a login refused, a recipient refused, the example identity, a bad address: one line each, exit 2', async () => {
    // a relay that asks for a login and refuses every one
    const authPort = await freePort();
    const guarded = new SMTPServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true, logger: false,
      onAuth: (_auth, _session, cb) => cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 })) });
    await new Promise<void>((resolve) => guarded.listen(authPort, '127.0.0.1', resolve));
    try {
      const closed = await freePort();
      const down = writeConfig(testConfig(redis.url, closed));
      const auth = writeConfig(testConfig(redis.url, authPort, { smtp: { user: 'noc', pass: 'wrong' } }));
      const example = writeConfig(configSchema.parse({ smtp: { host: '127.0.0.1', port: smtp.port } }));
      const before = smtp.delivered.length;
      const [r1, r2, r3, r4] = await Promise.all([
        runCli(['email', 'test', '--to', 'ops@provider.example', '--config', down]),
        runCli(['email', 'test', '--to', 'ops@provider.example', '--config', auth]),
        runCli(['email', 'test', '--to', 'ops@provider.example', '--config', example]),
        runCli(['email', 'test', '--to', 'not-an-address', '--config', down]),
      ]);
      expect(r1).toMatchObject({ code: 2, stdout: '', stderr: `arpwarden: email test: relay 127.0.0.1:${closed}: connection refused\n` });
      expect(r2.code).toBe(2);
      expect(r2.stderr).toMatch(new RegExp(`^arpwarden: email test: relay 127\\.0\\.0\\.1:${authPort}: authentication failed \\(.*535.*\\)\\n$`));
      expect(r3).toMatchObject({ code: 2, stderr: expect.stringMatching(/^arpwarden: email test: email\.from and email\.provider are still the built-in example .*\n$/) as unknown as string });
      expect(r4).toMatchObject({ code: 2, stderr: 'arpwarden: email test: --to not-an-address is not a mailbox (expected name@domain.example)\n' });

      smtp.rejectRcpt = { code: 550, message: 'No such user here' };
      const refused = await runCli(['email', 'test', '--to', 'ops@provider.example', '--config', writeConfig(testConfig(redis.url, smtp.port))]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`^arpwarden: email test: relay 127\\.0\\.0\\.1:${smtp.port}: .*550 No such user here\\n$`));
      expect(smtp.delivered.length).toBe(before);
    } finally {
      smtp.rejectRcpt = null;
      await new Promise<void>((resolve) => guarded.close(() => resolve()));
    }
  });

  it('cooldown list shows what the queued email took (customer, IP, case, until, job, incident); clear removes it, says so, and says when nothing is left', async () => {
    const cfg = testConfig(redis.url, smtp.port);
    const config = writeConfig(cfg);
    const enq = await runCli(['replay', capturePath('case1-alias-netmask.pcap'), '--inventory', INVENTORY, '--enqueue', '--config', config, '--format', 'json']);
    expect(enq.code).toBe(0);
    const incident = (JSON.parse(enq.stdout) as { incidents: { id: string; ip: string; case: string }[] }).incidents.find((i) => i.case === 'alias-netmask')!;

    const list = await runCli(['cooldown', 'list', '--config', config, '--format', 'json']);
    expect(list.code).toBe(0);
    const json = JSON.parse(list.stdout) as { queue: string; cooldowns: { customerId: string; ip: string; caseId: string; jobId: string; until: string; expiresInSeconds: number; incidents: string[] }[] };
    expect(json.queue).toBe(cfg.queue.name);
    expect(json.cooldowns).toHaveLength(1);
    const c = json.cooldowns[0];
    expect(c).toMatchObject({ ip: incident.ip, caseId: 'alias-netmask', incidents: [incident.id] });
    expect(storedJobId(c.jobId)).toMatch(new RegExp(`^alias-netmask_${incident.ip.replaceAll('.', '\\.')}_[0-9a-f]{16}$`));
    expect(c.expiresInSeconds).toBeGreaterThan(23.9 * 3600);
    expect(Date.parse(c.until) - Date.now()).toBeGreaterThan(23.9 * 3600e3);

    const text = await runCli(['cooldown', 'list', '--config', config]);
    expect(text.stdout).toMatch(new RegExp(`^customer ${c.customerId}  ip ${incident.ip.replaceAll('.', '\\.')}  alias-netmask  until \\S+Z \\(2[34]\\.\\d h\\)  job ${c.jobId}  incident ${incident.id}\\n$`));

    const other = await runCli(['cooldown', 'clear', 'customer', 'c-nobody', '--config', config]);
    expect(other).toMatchObject({ code: 0, stdout: 'no cooldown for customer c-nobody: nothing cleared\n' });
    const cleared = await runCli(['cooldown', 'clear', 'ip', incident.ip, '--config', config]);
    expect(cleared).toMatchObject({ code: 0, stdout: `cleared 1 cooldown of ip ${incident.ip} (${c.customerId} alias-netmask)\n` });
    const again = await runCli(['cooldown', 'clear', 'ip', incident.ip, '--config', config]);
    expect(again).toMatchObject({ code: 0, stdout: `no cooldown for ip ${incident.ip}: nothing cleared\n` });
    expect((await runCli(['cooldown', 'list', '--config', config])).stdout).toBe(`no cooldown in force on queue ${cfg.queue.name}\n`);
  });

  it('cooldown list and clear with Redis unreachable, or a bad IP: one line, exit 2', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const config = writeConfig(configSchema.parse({ queue: { redis_url: url }, email: TEST_EMAIL }));
    const [list, clear, bad] = await Promise.all([
      runCli(['cooldown', 'list', '--config', config]),
      runCli(['cooldown', 'clear', 'customer', 'c-1', '--config', config]),
      runCli(['cooldown', 'clear', 'ip', '198.51.100.300', '--config', config]),
    ]);
    for (const r of [list, clear]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^arpwarden: .*redis.*127\.0\.0\.1:\d+.*\n$/);
    }
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
