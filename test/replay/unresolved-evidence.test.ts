/**
 * The samples of an incident raised by unresolved requests (alias-netmask:
 * off_link_target and unresolved_arp, both counted when a request expires)
 * are tcpdump's lines of those request frames, whatever the link type and tag
 * depth: case1-alias-netmask.pcap rewritten as `tcpdump -i any` records it
 * (Linux cooked v1 and v2) and with an S-tag outside and a third tag inside.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INVENTORY } from '../../fixtures/expected-incidents.js';
import { ethernetToSll, ethernetToSll2, SLL_BROADCAST, SLL_HOST } from '../../fixtures/lib/frames.js';
import { writeCapture, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import { FileSource } from '../../src/capture/file-source.js';
import { ipToString } from '../../src/common/addr.js';
import { defaultConfig } from '../../src/config/schema.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { insertInnerTag, tcpdumpLines } from '../helpers/tcpdump.js';

const SOURCE = join(import.meta.dirname, '../../fixtures/captures/case1-alias-netmask.pcap');
/** an interface index no host has: tcpdump prints `?` for its name, as the incident book does */
const IFINDEX = 99_999;

const broadcast = (f: Uint8Array): boolean => f.subarray(0, 6).every((b) => b === 0xff);
const variants: [name: string, linktype: number, rewrite: (f: Uint8Array) => Uint8Array][] = [
  ['linux-sll', 113, (f) => ethernetToSll(f, broadcast(f) ? SLL_BROADCAST : SLL_HOST)],
  ['linux-sll2', 276, (f) => ethernetToSll2(f, broadcast(f) ? SLL_BROADCAST : SLL_HOST, IFINDEX)],
  ['qinq-plus-one', 1, (f) => insertInnerTag(insertInnerTag(f, 0, 0x88a8, 3000), 2, 0x8100, (3 << 13) | 7)],
];

describe('unresolved-request samples are tcpdump lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpwarden-evidence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(variants)('case1-alias-netmask as %s', async (name, linktype, rewrite) => {
    const records: PcapRecord[] = [];
    await new FileSource(SOURCE).run((frame, offset, capLen, wireLen, tsMicros) => {
      const f = rewrite(new Uint8Array(frame.subarray(offset, offset + capLen)));
      records.push({ tsMicros, frame: f, wireLen: wireLen - capLen + f.length });
    });
    const file = join(dir, `${name}.pcap`);
    await writeCapture(file, 'pcap', records, { linktype });
    const theirs = new Set(await tcpdumpLines(file));
    const run = await replayFile(new FileSource(file), defaultConfig(), loadInventory(INVENTORY));
    const incidents = run.detection!.book.known();
    expect(incidents.map((i) => `${i.caseId} ${ipToString(i.ip)}`)).toEqual(['alias-netmask 198.51.100.7']);
    const [inc] = incidents;
    expect(Object.keys(inc.counts).sort()).toEqual(['off_link_target', 'unresolved_arp']);
    expect(inc.samples.length).toBe(10);
    for (const line of inc.samples) expect(theirs.has(line), line).toBe(true);
  });
});
