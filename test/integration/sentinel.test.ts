/**
 * Redis Sentinel (queue.sentinels), with real servers on loopback: Debian's redis-server as a master,
 * a replica and three sentinels (`redis-server FILE --sentinel`). A producer (the capture daemon's
 * queue notifier) enqueues one incident every 100 ms and a worker sends them, while the master is
 * killed (SIGKILL): the sentinels promote the replica, both sides follow it by themselves, and every
 * incident's email is delivered. Replication is asynchronous: a job acknowledged by the old master
 * and not yet copied is lost with it, and a "sent" marker lost the same way sends an email twice
 * (docs/email-delivery.md, "Redis Sentinel"). The test prints how many were delivered twice; the
 * goal is none, and it fails on a lost one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueNotifier } from '../../src/email/create-notifier.js';
import type { Incident } from '../../src/incidents/incident.js';
import { EmailWorker } from '../../src/worker/email-worker.js';
import { configuredRender } from '../../src/email/render/renderer.js';
import { caseIncidents, lifecycle, moved } from './helpers/incidents.js';
import { freePort, waitFor } from './helpers/ports.js';
import { testConfig } from './helpers/setup.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { smtpSender } from '../../src/worker/smtp-transport.js';

const NAME = 'awmaster';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One redis-server process (a master, a replica or a sentinel) in its own directory. */
class RedisProcess {
  private proc: ChildProcess | null = null;
  log = '';
  constructor(readonly name: string, readonly port: number, private readonly args: string[]) {}

  async start(ready: RegExp): Promise<void> {
    const proc = spawn('/usr/bin/redis-server', this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout!.on('data', (d: Buffer) => { this.log += d.toString(); });
    proc.stderr!.on('data', (d: Buffer) => { this.log += d.toString(); });
    await waitFor(`${this.name} ready\n${this.log}`, () => {
      if (proc.exitCode !== null) throw new Error(`${this.name} exited ${proc.exitCode}: ${this.log}`);
      return ready.test(this.log);
    });
  }

  kill(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (p === null || p.exitCode !== null) return Promise.resolve();
    return new Promise((r) => { p.once('exit', () => r()); p.kill('SIGKILL'); });
  }
}

describe('Redis Sentinel: the master killed while incidents are enqueued and emails sent', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-sentinel-'));
  let master: RedisProcess;
  let replica: RedisProcess;
  const sentinels: RedisProcess[] = [];
  let smtp: SmtpSink;
  let alias: Incident;

  beforeAll(async () => {
    const [mp, rp] = [await freePort(), await freePort()];
    const base = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
    fs.mkdirSync(path.join(dir, 'm'));
    fs.mkdirSync(path.join(dir, 'r'));
    master = new RedisProcess('master', mp, ['--port', String(mp), '--dir', path.join(dir, 'm'), ...base]);
    replica = new RedisProcess('replica', rp, ['--port', String(rp), '--dir', path.join(dir, 'r'), '--replicaof', '127.0.0.1', String(mp), ...base]);
    await master.start(/Ready to accept connections/);
    await replica.start(/MASTER <-> REPLICA sync: Finished with success/);
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = path.join(dir, `sentinel-${i}.conf`);
      // the sentinels rewrite their file (what they learn of the replicas and the others): it must be writable
      fs.writeFileSync(conf, [
        `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'protected-mode no',
        `sentinel monitor ${NAME} 127.0.0.1 ${mp} 2`,
        `sentinel down-after-milliseconds ${NAME} 1000`,
        `sentinel failover-timeout ${NAME} 5000`,
        `sentinel parallel-syncs ${NAME} 1`, '',
      ].join('\n'));
      const s = new RedisProcess(`sentinel ${i}`, port, [conf, '--sentinel']);
      sentinels.push(s);
      await s.start(/\+monitor master/);
    }
    // the sentinels know the replica before the master goes (else there is nothing to promote)
    await waitFor('the sentinels to see the replica', () => sentinels.every((s) => /\+slave slave/.test(s.log)), 20_000);
    smtp = new SmtpSink(await freePort());
    await smtp.start();
    alias = (await caseIncidents('case1-alias-netmask.pcap', testConfig(`redis://127.0.0.1:${mp}`, 25)))[0];
  }, 60_000);

  afterAll(async () => {
    await smtp?.stop();
    for (const p of [master, replica, ...sentinels]) await p?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every incident\'s email is delivered after the failover; the producer and the worker follow the new master by themselves', async () => {
    const config = testConfig('redis://127.0.0.1:1/0', smtp.port, {
      queue: { sentinels: sentinels.map((s) => `127.0.0.1:${s.port}`), sentinel_name: NAME, flush_seconds: 5 },
    });
    const producer = queueNotifier(config);
    const worker = new EmailWorker({ config, render: configuredRender(config.email), sender: smtpSender(config.smtp) });
    await worker.ready();
    const incidents = Array.from({ length: 60 }, (_, i) => moved(alias, { ipOffset: 1000 + i, tag: `s${i}` }));
    const feeding = (async () => {
      for (const inc of incidents) {
        for (const c of lifecycle(inc)) producer.accept(c);
        await sleep(100);
      }
    })();
    await waitFor('the first emails', () => smtp.delivered.length >= 10, 20_000);
    await master.kill();
    await feeding;
    await producer.idle();
    await waitFor('every email after the failover', () => new Set(smtp.delivered.map((m) => m.messageId)).size >= incidents.length, 60_000, 200)
      .catch((e: Error) => { throw new Error(`${e.message}: ${new Set(smtp.delivered.map((m) => m.messageId)).size} of ${incidents.length} delivered, producer ${JSON.stringify(producer.stats())}`); });
    await sleep(2_000);
    const ids = smtp.delivered.map((m) => m.messageId);
    const twice = ids.length - new Set(ids).size;
    console.log(`sentinel failover: ${new Set(ids).size} of ${incidents.length} emails delivered, ${twice} delivered twice`);
    expect(new Set(ids).size).toBe(incidents.length);
    // the replica is the master now
    const asked = new Redis({ port: sentinels[0].port, host: '127.0.0.1', lazyConnect: true });
    await asked.connect();
    const now = (await asked.call('SENTINEL', 'get-master-addr-by-name', NAME)) as string[];
    asked.disconnect();
    expect(Number(now[1])).toBe(replica.port);
    await producer.close();
    await worker.close();
  }, 120_000);
});
