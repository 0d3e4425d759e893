/**
 * Property tests of the decoder (fast-check) and a file-level fuzz of
 * FileSource + runPipeline on broken captures, in a child process with a
 * deadline (libpcap reads a file in one synchronous call: a hang could not be
 * interrupted in this process).
 *
 * The decoder is checked against fixtures/lib/classify.ts, the fixtures'
 * independent statement of the decode outcomes, and against the bytes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from '../../fixtures/lib/classify.js';
import {
  arpPayload,
  concat,
  ethernet,
  ethernetToSll,
  ethernetToSll2,
  udpFrame,
  vlanTag,
  type VlanTag,
} from '../../fixtures/lib/frames.js';
import { encodeCapture, type CaptureFormat, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import { ArpPacket } from './arp-packet.js';
import { decodeFrame, reachedArp } from './decode-frame.js';
import { DECODE_RESULT_NAMES, DecodeResult, RESULT_COUNT } from './decode-result.js';

const LINK_TYPES = [1, 113, 276] as const;
const HEADER: Readonly<Record<number, number>> = { 1: 14, 113: 16, 276: 20 };
const TS = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;

// ---------------------------------------------------------------- arbitraries

const octet = fc.integer({ min: 0, max: 255 });
/** documentation and shared address space only, and the probe's 0.0.0.0 */
const ipArb = fc.oneof(
  octet.map((h) => `192.0.2.${h}`),
  octet.map((h) => `198.51.100.${h}`),
  octet.map((h) => `203.0.113.${h}`),
  fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([a, b, c]) => `100.${a}.${b}.${c}`),
  fc.constant('0.0.0.0'),
);
const macArb = fc.uint8Array({ minLength: 6, maxLength: 6 });
const tagArb: fc.Arbitrary<VlanTag> = fc
  .record({ tpid: fc.constantFrom(0x8100, 0x88a8, 0x9100), vid: fc.integer({ min: 0, max: 4095 }), pcp: fc.integer({ min: 0, max: 7 }), dei: fc.boolean() })
  .map((t) => vlanTag(t.tpid, t.vid, t.pcp, t.dei));

interface ValidFrame {
  frame: Uint8Array;
  linkType: number;
  depth: number;
}

/** A well-formed ARP frame on any link type, with 0 to 3 tags. */
const validArb: fc.Arbitrary<ValidFrame> = fc
  .record({
    linkType: fc.constantFrom(...LINK_TYPES),
    op: fc.constantFrom(1, 2),
    sha: macArb, spa: ipArb, tha: macArb, tpa: ipArb, src: macArb, dst: macArb,
    tags: fc.array(tagArb, { maxLength: 3 }),
    pad: fc.boolean(),
    packetType: fc.integer({ min: 0, max: 4 }),
    ifindex: fc.integer({ min: 1, max: 0xffffffff }),
  })
  .map((r) => {
    const eth = ethernet(r.dst, r.src, 0x0806, arpPayload({ op: r.op, sha: r.sha, spa: r.spa, tha: r.tha, tpa: r.tpa }), { tags: r.tags, pad: r.pad });
    const frame = r.linkType === 1 ? eth : r.linkType === 113 ? ethernetToSll(eth, r.packetType) : ethernetToSll2(eth, r.packetType, r.ifindex);
    return { frame, linkType: r.linkType, depth: r.tags.length };
  });

const u16 = (v: number): Uint8Array => Uint8Array.of(v >>> 8, v & 255);
/** An ethertype a decoder branches on, or any. */
const typeArb = fc.oneof(fc.constantFrom(0x0806, 0x8100, 0x88a8, 0x9100, 0x0800, 0x86dd), fc.integer({ min: 0, max: 0xffff })).map(u16);
/** An ARP fixed header, each field right or not. */
const arpHeaderArb = fc
  .tuple(
    fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 0xffff })),
    fc.oneof(fc.constant(0x0800), fc.integer({ min: 0, max: 0xffff })),
    fc.oneof(fc.constant(6), octet),
    fc.oneof(fc.constant(4), octet),
    fc.oneof(fc.constantFrom(1, 2, 3, 4, 8, 9), fc.integer({ min: 0, max: 0xffff })),
  )
  .map(([h, p, hl, pl, op]) => concat(u16(h), u16(p), Uint8Array.of(hl, pl), u16(op)));
/** VLAN tags, ARP headers, addresses, runs of bytes, in any order. */
const chunkArb = fc.oneof(
  { weight: 3, arbitrary: typeArb },
  { weight: 2, arbitrary: fc.tuple(octet, octet).map(([a, b]) => Uint8Array.of(a, b)) },
  { weight: 2, arbitrary: arpHeaderArb },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 20, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
);

/** Bytes shaped like a frame of the link type (the type field where the decoder reads it), then anything. */
function shapedArb(linkType: number): fc.Arbitrary<Uint8Array> {
  const chunks = fc.array(chunkArb, { maxLength: 14 });
  if (linkType === 276) {
    return fc.tuple(typeArb, fc.uint8Array({ minLength: 18, maxLength: 18 }), chunks).map(([t, h, c]) => concat(t, h, ...c));
  }
  return fc.tuple(fc.uint8Array({ minLength: HEADER[linkType] - 2, maxLength: HEADER[linkType] - 2 }), typeArb, chunks)
    .map(([h, t, c]) => concat(h, t, ...c));
}

/** A frame of random or frame-shaped bytes, a capLen ≤ its length, a wireLen (usually ≥ capLen, sometimes corrupt). */
const caseArb = fc
  .constantFrom(...LINK_TYPES)
  .chain((linkType) => fc.record({
    linkType: fc.constant(linkType),
    frame: fc.oneof(fc.uint8Array({ maxLength: 120 }), shapedArb(linkType)),
    capCut: fc.nat(),
    wireExtra: fc.oneof({ weight: 5, arbitrary: fc.nat(1600) }, { weight: 1, arbitrary: fc.integer({ min: -100, max: -1 }) }),
    stale: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }))
  .map((c) => {
    const capLen = c.capCut % (c.frame.length + 1);
    return { ...c, capLen, wireLen: Math.max(0, capLen + c.wireExtra) };
  });

// ---------------------------------------------------------------- oracles

interface Snapshot { [k: string]: unknown }

function snapshot(p: ArpPacket): Snapshot {
  return {
    tsMicros: p.tsMicros, wireLen: p.wireLen, capLen: p.capLen, linkType: p.linkType,
    ethSrc: p.ethSrc, ethDst: p.ethDst, sllPacketType: p.sllPacketType, sllIfindex: p.sllIfindex,
    vlanDepth: p.vlanDepth, outerTpid: p.outerTpid, outerTci: p.outerTci, innerTpid: p.innerTpid, innerTci: p.innerTci,
    tags: Array.from(p.tags.subarray(0, p.vlanDepth)),
    op: p.op, senderMac: p.senderMac, senderIp: p.senderIp, targetMac: p.targetMac, targetIp: p.targetIp,
    gratuitous: p.gratuitous, probe: p.probe,
  };
}

function decode(frame: Uint8Array, capLen: number, wireLen: number, linkType: number): { result: DecodeResult; p: ArpPacket } {
  const p = new ArpPacket();
  const result = decodeFrame(frame, capLen, wireLen, linkType, TS, p);
  return { result, p };
}

const be = (f: Uint8Array, o: number, n: number): number => {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + f[o + i];
  return v;
};

/** The decode outcome must be classify()'s, and an ARP packet must hold the frame's own bytes. */
function checkAgainstOracle(frame: Uint8Array, capLen: number, wireLen: number, linkType: number): DecodeResult {
  const { result, p } = decode(frame, capLen, wireLen, linkType);
  expect(Number.isInteger(result) && result >= 0 && result < RESULT_COUNT).toBe(true);
  const seen = frame.subarray(0, Math.min(capLen, wireLen));
  const want = classify(seen, linkType);
  const name = DECODE_RESULT_NAMES[result];
  expect(name).toBe(want.kind === 'malformed' ? want.reason : want.kind);
  expect(p.vlanDepth).toBe(want.vlanDepth);
  expect(p.capLen).toBe(seen.length);
  expect(p.wireLen).toBe(wireLen);
  if (want.kind === 'arp') {
    const off = HEADER[linkType] + 4 * p.vlanDepth;
    expect(off + 28).toBeLessThanOrEqual(seen.length);
    expect({ op: p.op, gratuitous: p.gratuitous, probe: p.probe }).toEqual({ op: want.op, gratuitous: want.gratuitous, probe: want.probe });
    expect([p.senderMac, p.senderIp, p.targetMac, p.targetIp]).toEqual([be(seen, off + 8, 6), be(seen, off + 14, 4), be(seen, off + 18, 6), be(seen, off + 24, 4)]);
    for (let d = 0; d < p.vlanDepth; d++) {
      const tpidAt = d === 0 ? (linkType === 1 ? 12 : linkType === 113 ? 14 : 0) : HEADER[linkType] + 4 * (d - 1) + 2;
      expect(p.tags[d]).toBe(be(seen, tpidAt, 2) * 65536 + be(seen, HEADER[linkType] + 4 * d, 2));
    }
  }
  return result;
}

// ---------------------------------------------------------------- properties

describe('decodeFrame properties', () => {
  it('random and frame-shaped bytes, any capLen: never throws, the oracle\'s outcome, the frame\'s own bytes', () => {
    fc.assert(fc.property(caseArb, (c) => {
      checkAgainstOracle(c.frame, c.capLen, c.wireLen, c.linkType);
    }), { numRuns: 5000 });
  });

  it('the bytes after capLen (the binding\'s stale buffer) never change the outcome', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const a = new Uint8Array(c.frame.length + 64);
      const b = new Uint8Array(c.frame.length + 64);
      a.set(c.frame);
      b.set(c.frame);
      for (let i = c.capLen; i < b.length; i++) b[i] = c.stale[i % c.stale.length] ^ 0x5a;
      for (let i = c.capLen; i < a.length; i++) a[i] = c.stale[i % c.stale.length];
      const x = decode(a, c.capLen, c.wireLen, c.linkType);
      const y = decode(b, c.capLen, c.wireLen, c.linkType);
      expect(y.result).toBe(x.result);
      expect(snapshot(y.p)).toEqual(snapshot(x.p));
    }), { numRuns: 3000 });
  });

  it('any other link type: unsupported_link_type, whatever the bytes', () => {
    const other = fc.integer({ min: -1, max: 0x10000 }).filter((t) => t !== 1 && t !== 113 && t !== 276);
    fc.assert(fc.property(other, fc.uint8Array({ maxLength: 80 }), (linkType, frame) => {
      expect(decode(frame, frame.length, frame.length, linkType).result).toBe(DecodeResult.UNSUPPORTED_LINK_TYPE);
    }), { numRuns: 500 });
  });

  it('every prefix of a valid frame (tagged or not, any link type): the expected anomaly or ARP', () => {
    fc.assert(fc.property(validArb, fc.boolean(), ({ frame, linkType, depth }, snaplenCut) => {
      const header = HEADER[linkType];
      for (let k = 0; k <= frame.length; k++) {
        const wireLen = snaplenCut ? frame.length : k;
        const result = checkAgainstOracle(frame, k, wireLen, linkType);
        const want = k < header ? DecodeResult.RUNT
          : k < header + 4 * depth ? DecodeResult.TRUNCATED_VLAN
            : k < header + 4 * depth + 28 ? DecodeResult.TRUNCATED_ARP
              : DecodeResult.ARP;
        expect(result, `${k} of ${frame.length} bytes`).toBe(want);
      }
    }), { numRuns: 300 });
  });

  it('random mutations of valid frames: never throws, the oracle\'s outcome', () => {
    const mutation = fc.record({ at: fc.nat(), value: octet });
    fc.assert(fc.property(validArb, fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.nat(), (v, muts, cut) => {
      const f = Uint8Array.from(v.frame);
      for (const m of muts) f[m.at % f.length] = m.value;
      const capLen = f.length - (cut % 8 === 0 ? cut % f.length : 0);
      checkAgainstOracle(f, capLen, f.length, v.linkType);
    }), { numRuns: 3000 });
  });

  it('mutating only the ARP addresses keeps a valid frame ARP', () => {
    fc.assert(fc.property(validArb, fc.array(fc.record({ at: fc.nat(19), value: octet }), { minLength: 1 }), (v, muts) => {
      const f = Uint8Array.from(v.frame);
      const off = HEADER[v.linkType] + 4 * v.depth + 8;
      for (const m of muts) f[off + m.at] = m.value;
      expect(checkAgainstOracle(f, f.length, f.length, v.linkType)).toBe(DecodeResult.ARP);
    }), { numRuns: 1000 });
  });

  it('reachedArp agrees with "the ARP ethertype was found" on random frames', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { result } = decode(c.frame, c.capLen, c.wireLen, c.linkType);
      const want = classify(c.frame.subarray(0, Math.min(c.capLen, c.wireLen)), c.linkType);
      const ethertypeFound = want.kind === 'arp' || (want.kind === 'malformed' && !['runt', 'truncated_vlan', 'too_many_vlan_tags'].includes(want.reason));
      expect(reachedArp(result)).toBe(ethertypeFound);
    }), { numRuns: 2000 });
  });
});

// ---------------------------------------------------------------- file-level fuzz

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const moduleUrl = (rel: string): string => new URL(`../${rel}`, import.meta.url).href;
const CHILD_DEADLINE_MS = 90_000;

/** Runs each file through FileSource + runPipeline; one JSON line before and after each. */
const CHILD = `
const [fsUrl, plUrl, ceUrl, ...files] = process.argv.slice(1);
const { FileSource } = await import(fsUrl);
const { runPipeline } = await import(plUrl);
const { CaptureError } = await import(ceUrl);
for (const file of files) {
  process.stdout.write(JSON.stringify({ start: file }) + '\\n');
  let out;
  try {
    const run = await runPipeline(new FileSource(file));
    out = { file, frames: run.capture.frames, truncated: run.capture.truncated === true, summarized: run.summary.frames };
  } catch (e) {
    out = e instanceof CaptureError ? { file, captureError: e.message } : { file, unexpected: String((e && e.stack) || e) };
  }
  process.stdout.write(JSON.stringify(out) + '\\n');
}
`;

type Outcome =
  | { file: string; frames: number; truncated: boolean; summarized: number }
  | { file: string; captureError: string }
  | { file: string; unexpected: string };

/** What a file must give: a CaptureError, these frames (and truncated or not), or either but nothing else. */
type Expect = { error: true } | { frames: number; truncated: boolean } | { finish: true } | { either: true };

interface FuzzFile { name: string; bytes: Uint8Array; expect: Expect }

/** Offsets where a pcap or pcapng file may end cleanly: after the file header (pcapng: after the IDB), after each record. */
function boundaries(format: CaptureFormat, bytes: Uint8Array): { opens: number; ends: number[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  if (format === 'pcapng') {
    let o = 0;
    while (o < bytes.length) { o += dv.getUint32(o + 4, true); ends.push(o); }
    return { opens: ends[1], ends: ends.slice(1) };
  }
  let o = 24;
  ends.push(o);
  while (o < bytes.length) { o += 16 + dv.getUint32(o + 8, true); ends.push(o); }
  return { opens: 24, ends };
}

const recordsArb: fc.Arbitrary<PcapRecord[]> = fc.array(
  fc.tuple(fc.oneof(validArb.filter((v) => v.linkType === 1).map((v) => v.frame), fc.uint8Array({ maxLength: 90 })), fc.nat(5_000_000)),
  { minLength: 1, maxLength: 10 },
).map((rs) => {
  let t = TS;
  return rs.map(([frame, gap]) => ({ tsMicros: (t += gap), frame }));
});

const fuzzFileArb: fc.Arbitrary<Omit<FuzzFile, 'name'> & { kind: string }> = fc.oneof(
  // a valid capture cut anywhere
  fc.tuple(fc.constantFrom<CaptureFormat>('pcap', 'pcap-ns', 'pcapng'), recordsArb, fc.double({ min: 0, max: 1, noNaN: true })).map(([format, records, where]) => {
    const whole = encodeCapture(format, records, { linktype: 1 });
    const cut = Math.floor(where * whole.length);
    const { opens, ends } = boundaries(format, whole);
    const complete = ends.filter((e) => e <= cut).length - 1;
    const expect: Expect = cut < opens ? { error: true } : { frames: complete, truncated: !ends.includes(cut) };
    return { kind: `cut-${format}`, bytes: whole.subarray(0, cut), expect };
  }),
  // a valid file header, then garbage records; a link type the decoder does not read (NULL, Raw IP) is refused at opening
  fc.tuple(fc.constantFrom<CaptureFormat>('pcap', 'pcap-ns', 'pcapng'), fc.constantFrom(1, 113, 276, 0, 101), fc.uint8Array({ maxLength: 600 }))
    .map(([format, linktype, junk]) => ({ kind: `garbage-${format}`, bytes: concat(encodeCapture(format, [], { linktype }), junk),
      expect: ([1, 113, 276].includes(linktype) ? { finish: true } : { error: true }) as Expect })),
  // a record header claiming any length
  fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff), fc.uint8Array({ maxLength: 200 })).map(([caplen, len, rest]) => {
    const h = new DataView(new ArrayBuffer(16));
    h.setUint32(8, caplen, true);
    h.setUint32(12, len, true);
    return { kind: 'record-length', bytes: concat(encodeCapture('pcap', [], { linktype: 1 }), new Uint8Array(h.buffer), rest), expect: { finish: true } as Expect };
  }),
  // random bytes, bare or behind a capture magic
  fc.tuple(fc.constantFrom<number[]>([], [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0x0a, 0x0d, 0x0d, 0x0a]), fc.uint8Array({ maxLength: 400 }))
    .map(([magic, rest]) => ({ kind: 'random', bytes: concat(Uint8Array.from(magic), rest), expect: { either: true } as Expect })),
);

describe('FileSource + runPipeline on broken files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arpwarden-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('each ends in a CaptureError naming the file, or finishes; never hangs, never throws anything else', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const files: FuzzFile[] = [
      { name: 'empty.pcap', bytes: new Uint8Array(0), expect: { error: true } },
      { name: 'header-only.pcap', bytes: encodeCapture('pcap', [], { linktype: 1 }), expect: { frames: 0, truncated: false } },
      { name: 'text.pcap', bytes: new TextEncoder().encode('this is not a capture\n'), expect: { error: true } },
    ];
    fc.sample(fuzzFileArb, { seed, numRuns: 240 }).forEach((f, i) => files.push({ name: `${String(i).padStart(3, '0')}-${f.kind}.bin`, bytes: f.bytes, expect: f.expect }));
    for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
    const paths = files.map((f) => join(dir, f.name));

    let stdout = '';
    let failure: unknown = null;
    try {
      ({ stdout } = await promisify(execFile)(process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', CHILD,
          moduleUrl('capture/file-source.ts'), moduleUrl('pipeline/pipeline.ts'), moduleUrl('capture/capture-error.ts'), ...paths],
        { cwd: ROOT, timeout: CHILD_DEADLINE_MS, killSignal: 'SIGKILL', maxBuffer: 64 << 20, encoding: 'utf8' }));
    } catch (e) {
      failure = e;
      stdout = (e as { stdout?: string }).stdout ?? '';
    }
    const lines = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Outcome | { start: string });
    const outcomes = lines.filter((l): l is Outcome => !('start' in l));
    const lastStarted = lines.filter((l): l is { start: string } => 'start' in l).at(-1)?.start;
    expect(failure, `seed ${seed}: the child failed or hung (last file started: ${lastStarted})`).toBeNull();
    expect(outcomes.length).toBe(files.length);

    outcomes.forEach((o, i) => {
      const f = files[i];
      const where = `seed ${seed}, ${f.name} (FUZZ_SEED=${seed} to replay)`;
      expect(o.file, where).toBe(paths[i]);
      expect('unexpected' in o ? o.unexpected : null, where).toBeNull();
      if ('captureError' in o) {
        expect(o.captureError, where).not.toMatch(/[\r\n]/);
        expect(o.captureError.startsWith(`${paths[i]}: `), where).toBe(true);
        expect('error' in f.expect || 'either' in f.expect, `${where}: ${o.captureError}`).toBe(true);
      } else if ('frames' in o) {
        expect(o.summarized, where).toBe(o.frames);
        if ('error' in f.expect) expect.fail(`${where}: opened, but libpcap should refuse it`);
        if ('truncated' in f.expect) expect({ frames: o.frames, truncated: o.truncated }, where).toEqual(f.expect);
      }
    });
    // the sample is large enough to reach each outcome
    const kinds = new Set(outcomes.map((o) => ('captureError' in o ? 'error' : 'frames' in o && o.truncated ? 'truncated' : 'finished')));
    expect([...kinds].sort()).toEqual(['error', 'finished', 'truncated']);
  }, CHILD_DEADLINE_MS + 10_000);
});
