/**
 * encodeFrame against decodeFrame and tcpdump: every ARP frame of every fixture capture (Ethernet, 802.1Q, QinQ,
 * Linux cooked v1 and v2, pcapng, padded and cut frames) decoded, rebuilt, and decoded again gives the same packet;
 * and the rebuilt frames in an evidence pcap print, under `tcpdump -tttt -nn -e`, exactly the lines formatTcpdump
 * gave for the originals (what an incident's samples are).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../fixtures/lib/spec.js';
import { hostFormat, tcpdumpLines } from '../../test/helpers/tcpdump.js';
import { FileSource } from '../capture/file-source.js';
import { evidencePcap } from '../incidents/evidence-pcap.js';
import { ArpPacket } from './arp-packet.js';
import { decodeFrame } from './decode-frame.js';
import { DecodeResult } from './decode-result.js';
import { encodeFrame } from './encode-frame.js';
import { formatTcpdump } from './format-tcpdump.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as ManifestEntry[];
const dir = mkdtempSync(join(tmpdir(), 'arpwarden-encode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function arpPackets(file: string): Promise<ArpPacket[]> {
  const source = new FileSource(file);
  const p = new ArpPacket();
  const out: ArpPacket[] = [];
  await source.run((frame, offset, capLen, wireLen, tsMicros) => {
    if (decodeFrame(frame, capLen, wireLen, source.linkType, tsMicros, p, offset) === DecodeResult.ARP) out.push(new ArpPacket().copyFrom(p));
  });
  return out;
}

/** The packet's own fields (its tags only to its depth: the rest of the array is an earlier frame's). */
function fields(p: ArpPacket): Record<string, unknown> {
  return { ...p, tags: [...p.tags.subarray(0, p.vlanDepth)], vlan: p.vlan };
}

describe('encodeFrame rebuilds the frame a decoded ARP packet came from', () => {
  it.each(manifest.map((e) => e.file))('%s: decoded again, every field; in a pcap, tcpdump prints its sample lines', async (file) => {
    const packets = await arpPackets(join(FIXTURES, 'captures', file));
    expect(packets.length).toBeGreaterThan(0);
    for (const p of packets) {
      const bytes = encodeFrame(p);
      const again = new ArpPacket();
      expect(decodeFrame(bytes, bytes.length, p.wireLen, p.linkType, p.tsMicros, again)).toBe(DecodeResult.ARP);
      expect(fields(again)).toEqual(fields(p));
    }
    const pcap = join(dir, `${file}.pcap`);
    writeFileSync(pcap, evidencePcap(packets));
    const fmt = hostFormat();
    expect(await tcpdumpLines(pcap)).toEqual(packets.map((p) => formatTcpdump(p, fmt)));
  });
});
