/**
 * One email per block, end to end: a capture where two addresses of the portable block
 * 198.51.100.64/29 are misused (its broadcast and its network address, by two VMs), replayed with
 * --enqueue into a real redis-server, sent by the worker to a real SMTP server and parsed back.
 * A minute apart, one email lists both; six minutes apart (past email.group_seconds), two emails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arpRequest, TPID_8021Q, vlanTag } from '../../fixtures/lib/frames.js';
import { encodeCapture } from '../../fixtures/lib/pcap-writer.js';
import { T0_MICROS } from '../../fixtures/lib/timeline.js';
import { replayCommand } from '../../src/cli/replay.js';
import { configuredRender } from '../../src/email/render/renderer.js';
import { EmailWorker } from '../../src/worker/email-worker.js';
import { removeConfigs, writeConfig } from './helpers/cli.js';
import { freePort, waitFor } from './helpers/ports.js';
import { RedisServer } from './helpers/redis-server.js';
import { INVENTORY, testConfig } from './helpers/setup.js';
import { SmtpSink } from './helpers/smtp-sink.js';

const S = 1e6;
const SPAN = { tags: [vlanTag(TPID_8021Q, 100, 0)], pad: true };
const BROADCAST_VM = { sha: '52:54:00:71:0e:3d', spa: '198.51.100.71' };
const NETWORK_VM = { sha: '52:54:00:64:0e:3e', spa: '198.51.100.64' };

/** Each VM asks for the block's gateway every 2 s, unanswered, for 4 minutes; the second starts `apart` after the first. */
function capture(file: string, apart: number): void {
  const records: { tsMicros: number; frame: Uint8Array }[] = [];
  for (const [vm, from] of [[BROADCAST_VM, 10 * S], [NETWORK_VM, 10 * S + apart]] as const) {
    for (let t = from; t < from + 240 * S; t += 2 * S) records.push({ tsMicros: T0_MICROS + t, frame: arpRequest({ ...vm, tpa: '198.51.100.65', ...SPAN }) });
  }
  records.sort((a, b) => a.tsMicros - b.tsMicros);
  fs.writeFileSync(file, encodeCapture('pcap', records, { linktype: 1 }));
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('one email per block (real Redis, worker and SMTP server)', () => {
  let redis: RedisServer;
  let smtp: SmtpSink;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arpwarden-emailtools-groups-'));

  beforeAll(async () => {
    smtp = new SmtpSink(await freePort());
    [redis] = await Promise.all([RedisServer.start(), smtp.start()]);
  });

  afterAll(async () => {
    await Promise.all([redis?.close(), smtp?.stop()]);
    removeConfigs();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function emailsOf(apart: number, expected: number): Promise<{ subject: string; text: string; incidents: string }[]> {
    const file = path.join(tmp, `apart-${apart}.pcap`);
    capture(file, apart);
    const config = testConfig(redis.url, smtp.port, { email: { group_seconds: 300 } });
    const out = new Collect();
    await replayCommand(file, { format: 'text', speed: 'max', progress: false, inventory: INVENTORY, enqueue: true, config: writeConfig(config) }, out);
    expect(out.text).toMatch(new RegExp(`^emails: ${expected} enqueued .*\\(cooldown 0, muted 0, dropped 0\\)$`, 'm'));
    const before = smtp.delivered.length;
    const worker = new EmailWorker({ config, render: configuredRender(config.email) });
    try {
      await waitFor(`${expected} emails`, () => smtp.delivered.length >= before + expected);
    } finally {
      await worker.close();
    }
    return smtp.delivered.slice(before).map((m) => ({ subject: m.subject ?? '', text: m.text ?? '', incidents: String(m.headers.get('x-arpwarden-incident')) }));
  }

  it('a minute apart: one email, listing both IPs with each one\'s evidence, every incident named', async () => {
    const [mail, ...more] = await emailsOf(60 * S, 1);
    expect(more).toEqual([]);
    // the block's customer, c-77, reads French
    expect(mail.subject).toMatch(/^\[Test Provider\] 2 IP du bloc 198\.51\.100\.64\/29 — /);
    const flat = mail.text.replace(/\s+/g, ' ');
    expect(flat).toContain('Ce message concerne 2 IP du bloc 198.51.100.64/29');
    // each machine moves to a free address of its own (no other VM of the block in this capture): .71 to .66, .64 to .67
    expect(mail.text).toMatch(/^ +address 198\.51\.100\.66$/m);
    expect(flat).toContain('Déplacez de la même façon la machine qui utilise 198.51.100.64 vers une autre adresse libre : par exemple 198.51.100.67.');
    for (const vm of [BROADCAST_VM, NETWORK_VM]) {
      expect(mail.text).toMatch(new RegExp(`${vm.sha} > ff:ff:ff:ff:ff:ff, .*Request who-has 198\\.51\\.100\\.65 tell ${vm.spa.replaceAll('.', '\\.')}, length 46`));
      expect(mail.text).toContain(`tcpdump -nn -e -i eth0 arp and host ${vm.spa}`);
    }
    const ids = mail.incidents.split(', ');
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(mail.text).toContain(id);
  });

  it('six minutes apart: two emails, one IP each', async () => {
    const mails = await emailsOf(360 * S, 2);
    expect(mails.map((m) => /(198\.51\.100\.(?:71|64))/.exec(m.subject)?.[1]).sort()).toEqual(['198.51.100.64', '198.51.100.71']);
    for (const m of mails) {
      expect(m.subject).not.toMatch(/2 IP/);
      expect(m.incidents.split(', ')).toHaveLength(1);
    }
  });
});
