/**
 * Case 1 when the other hosts answer: 198.51.100.7 (no virtual MAC, on srv-1042) set up with a /24 asks for other
 * customers' failover IPs, and each host that has its failover configured answers, as Linux does by default. The
 * questions are off-link all the same (a /32 alias asks its gateway); before, only unanswered ones counted, and this
 * host raised nothing at all, its routed_ip_target being "explained by its own evidence".
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVENTORY } from '../../fixtures/expected-incidents.js';
import { arpReply, arpRequest, TPID_8021Q, vlanTag } from '../../fixtures/lib/frames.js';
import { type PcapRecord, writeCapture } from '../../fixtures/lib/pcap-writer.js';
import { FileSource } from '../../src/capture/file-source.js';
import { ipToString, parseIp } from '../../src/common/addr.js';
import { defaultConfig } from '../../src/config/schema.js';
import { loadInventory } from '../../src/inventory/load.js';
import { explainIp } from '../../src/pipeline/explain.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { fileTempDir } from '../helpers/temp-dir.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;
const tags = [vlanTag(TPID_8021Q, 100)];
const HOST = '0c:c4:7a:11:22:33';
const F = '198.51.100.7';
/** failover IPs of other servers (fixtures/inventory.yaml) and the NIC MAC of the server each is routed to */
const TARGETS: [ip: string, mac: string][] = [['198.51.100.45', '0c:c4:7a:e9:40:27'], ['198.51.100.91', '0c:c4:7a:a4:6c:d9'], ['198.51.100.58', '0c:c4:7a:38:9b:f1']];
const tmp = fileTempDir('aw-answered-off-link-');

/**
 * F asks for one target every `every` seconds from 10 s to `until`, each answered 0.4 ms later by the target's server
 * (or by `answerer`'s MAC, when given).
 */
async function capture(name: string, every: number, until: number, answerer?: string): Promise<string> {
  const records: PcapRecord[] = [];
  for (let n = 0, t = 10; t < until; n++, t += every) {
    const [ip, server] = TARGETS[n % TARGETS.length];
    const mac = answerer ?? server;
    const at = T0 + Math.round(t * 1e6);
    records.push({ tsMicros: at, frame: arpRequest({ sha: HOST, spa: F, tpa: ip, tags, pad: true }) });
    records.push({ tsMicros: at + 400, frame: arpReply({ sha: mac, spa: ip, tha: HOST, tpa: F, tags, pad: true }) });
  }
  const file = path.join(tmp, name);
  await writeCapture(file, 'pcap', records, { linktype: 1 });
  return file;
}

describe('an off-link question for a routed IP counts though its host answers', () => {
  const inv = loadInventory(INVENTORY);

  it('a burst (one every 1.5 s): alias-netmask at the tenth answered question', async () => {
    const file = await capture('burst.pcap', 1.5, 600);
    const run = await replayFile(new FileSource(file), defaultConfig(), inv);
    const incidents = run.detection!.book.known();
    expect(incidents.map((i) => `${i.caseId} ${ipToString(i.ip)} ${i.verdict.customer?.id}`)).toEqual([`alias-netmask ${F} c-77`]);
    expect(incidents[0].openedAt).toBe(T0 + 23_500_400);
    expect(Object.keys(incidents[0].counts)).toEqual(['off_link_target']);
    expect(incidents[0].verdict.emailable).toBe(true);
  });

  it('slow (one every 20 s, under the window threshold): opened by persistence; explain says why an answered question counts', async () => {
    const file = await capture('slow.pcap', 20, 1800);
    const ex = await explainIp(new FileSource(file), defaultConfig(), inv, parseIp(F)!);
    expect(ex.incidents.map((i) => i.caseId)).toEqual(['alias-netmask']);
    expect(ex.incidents[0].openedByPersistence).toMatchObject({ periods: 5 });
    expect(ex.timeline[0].notes.join('; ')).toBe('excessive_arp 1/120; off_link_target 1/10 (asked for a routed IP: answered by its host, not through the gateway); answered in 0.4 ms by 0c:c4:7a:e9:40:27');
    const row = ex.rules.find((r) => r.signal === 'off_link_target')!;
    expect(row.crossedAt).toBeNull();
    expect(row.persistence!.reachedAt).toBe(ex.incidents[0].openedAt);
  });

  it.each([
    ['a router\'s proxy ARP (its MAC, fixtures/inventory.yaml\'s routers)', '00:00:5e:00:01:01'],
    ['another server than the one the IP is routed to (left configured there: the duplicate case)', '0c:c4:7a:5d:03:4a'],
  ])('answered by %s: not counted, the question found no direct path to the IP\'s host', async (_what, mac) => {
    const file = await capture(`not-host-${mac.replaceAll(':', '')}.pcap`, 1.5, 600, mac);
    const run = await replayFile(new FileSource(file), defaultConfig(), inv);
    expect(run.detection!.book.known().filter((i) => i.ip === parseIp(F)).map((i) => i.caseId)).toEqual([]);
  });
});
