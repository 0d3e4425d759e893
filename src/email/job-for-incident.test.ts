import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ethernetToSll } from '../../fixtures/lib/frames.js';
import { pcap, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import { INVENTORY } from '../../fixtures/expected-incidents.js';
import { FileSource } from '../capture/file-source.js';
import { ipToString } from '../common/addr.js';
import { defaultConfig } from '../config/schema.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import type { EmailJob } from './job.js';
import { emailJobFor } from './job-for-incident.js';
import { renderEmail } from './render/render.js';

const CAPTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'captures');
const OPTS = { from: 'NOC <noc@example.net>', replyTo: 'noc@example.net', provider: 'Example Hosting' };
const LINKTYPE_LINUX_SLL = 113;

/** The records of a classic little-endian microsecond pcap (what fixtures/generate.ts writes). */
function readPcap(file: string): PcapRecord[] {
  const b = readFileSync(file);
  expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
  const out: PcapRecord[] = [];
  for (let at = 24; at < b.length;) {
    const capLen = b.readUInt32LE(at + 8);
    out.push({ tsMicros: b.readUInt32LE(at) * 1e6 + b.readUInt32LE(at + 4), frame: b.subarray(at + 16, at + 16 + capLen) });
    at += 16 + capLen;
  }
  return out;
}

async function jobsOf(file: string): Promise<EmailJob[]> {
  const config = defaultConfig();
  const run = await replayFile(new FileSource(file), config, loadInventory(INVENTORY));
  return run.detection!.book.known().map((i) => emailJobFor(i, config.detector.window_seconds)).filter((j): j is EmailJob => j !== null);
}

describe('emailJobFor: the evidence the templates read comes from the incident, not from the tcpdump lines', () => {
  let dir: string;
  let ethernet: EmailJob;
  let cooked: EmailJob;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'arpwarden-sll-'));
    // the duplicate-ip capture as `tcpdump -i any` would have recorded it: Linux cooked v1 headers
    const records = readPcap(path.join(CAPTURES, 'duplicate-ip.pcap'))
      .map((r) => ({ ...r, frame: ethernetToSll(r.frame, r.frame.subarray(0, 6).every((x) => x === 0xff) ? 1 : 0) }));
    const sll = path.join(dir, 'duplicate-ip-sll.pcap');
    writeFileSync(sll, pcap(records, { linktype: LINKTYPE_LINUX_SLL }));
    [[ethernet], [cooked]] = await Promise.all([jobsOf(path.join(CAPTURES, 'duplicate-ip.pcap')), jobsOf(sll)]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a Linux cooked (SLL) capture: the same targets, sender MACs and VLANs as the Ethernet one, though its lines differ', () => {
    expect(cooked.caseId).toBe('duplicate-ip');
    expect(cooked.evidence.samples[0]).not.toBe(ethernet.evidence.samples[0]);
    expect(cooked.evidence.samples[0]).not.toMatch(/ > ff:ff:ff:ff:ff:ff/);
    expect(ethernet.evidence.macs).toEqual(['0c:c4:7a:c2:71:06', '0c:c4:7a:c2:71:b8']);
    expect(cooked.evidence.macs).toEqual(ethernet.evidence.macs);
    expect(cooked.evidence.targets).toEqual(['203.0.113.254']);
    expect(cooked.evidence.vlans).toEqual([100]);
  });

  it('and its email names both MACs that claim the IP, as the Ethernet one does', () => {
    const text = renderEmail(cooked, OPTS).text;
    expect(text).toContain('The lines alternate between');
    for (const mac of ethernet.evidence.macs) expect(text).toContain(mac);
    expect(text).toMatch(/alternate between\s+0c:c4:7a:c2:71:06 \(srv-3100\)\s+and\s+0c:c4:7a:c2:71:b8 \(srv-3101\)/);
    expect(renderEmail(ethernet, OPTS).text).toContain('The lines alternate between');
  });
});

describe('emailJobFor: a portable block\'s addresses seen in use', () => {
  it('the block\'s usable addresses the capture shows as senders, not its reserved ones (in use, wrongly), and none for another block', async () => {
    const config = defaultConfig();
    const run = await replayFile(new FileSource(path.join(CAPTURES, 'portable-block-unusable.pcap')), config, loadInventory(INVENTORY));
    const incidents = run.detection!.incidents!;
    // the VMs on .66 and .67 resolve their gateway; .71 (broadcast) and .65 (gateway) are the misused addresses
    expect(incidents.map((i) => i.blockSenders?.map((ip) => ipToString(ip)))).toEqual([
      ['198.51.100.65', '198.51.100.66', '198.51.100.67', '198.51.100.71'],
      ['198.51.100.65', '198.51.100.66', '198.51.100.67', '198.51.100.71'],
    ]);
    const jobs = incidents.map((i) => emailJobFor(i, config.detector.window_seconds)!);
    expect(jobs.map((j) => [j.ip, j.remediation.block?.inUse])).toEqual([
      ['198.51.100.71', ['198.51.100.66', '198.51.100.67']],
      ['198.51.100.65', ['198.51.100.66', '198.51.100.67']],
    ]);
    const [unsplit] = await jobsOf(path.join(CAPTURES, 'case1a-block-netmask.pcap'));
    expect(unsplit.remediation.block).toBeDefined();
    expect(unsplit.remediation.block!.inUse).toBeUndefined();
  });
});

