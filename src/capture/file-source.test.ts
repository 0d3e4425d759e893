/**
 * FileSource over libpcap (the `pcap` binding's offline session): the same
 * frames and microsecond times from pcap, pcapng and nanosecond pcap; one-line
 * CaptureErrors naming the file; cut files; aborts; `--speed` pacing; the
 * reused 64 KiB buffer; and no file handle left open after a run.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { arpReply, arpRequest, ethernet } from '../../fixtures/lib/frames.js';
import { encodeCapture, writeCapture, type PcapRecord } from '../../fixtures/lib/pcap-writer.js';
import type { ManifestEntry } from '../../fixtures/lib/spec.js';
import { UserError } from '../common/user-error.js';
import { ArpPacket } from '../decode/arp-packet.js';
import { decodeFrame } from '../decode/decode-frame.js';
import { DecodeResult } from '../decode/decode-result.js';
import { CaptureError } from './capture-error.js';
import { FileSource, type FileSourceOptions } from './file-source.js';
import type { CaptureStats } from './frame-source.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const capture = (name: string): string => join(FIXTURES, 'captures', name);
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as ManifestEntry[];
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;
const ME = { mac: '0c:c4:7a:11:22:33', ip: '203.0.113.10' };
const GW = { mac: '00:00:5e:00:01:01', ip: '203.0.113.254' };

interface Frame {
  tsMicros: number;
  capLen: number;
  wireLen: number;
  bytes: string;
}

async function collect(file: string, options?: FileSourceOptions, signal?: AbortSignal): Promise<{ frames: Frame[]; stats: CaptureStats; source: FileSource }> {
  const source = new FileSource(file, options);
  const frames: Frame[] = [];
  const stats = await source.run((frame, offset, capLen, wireLen, tsMicros) => {
    frames.push({ tsMicros, capLen, wireLen, bytes: Buffer.from(frame.subarray(offset, offset + capLen)).toString('hex') });
  }, signal);
  return { frames, stats, source };
}

/** The CaptureError `new FileSource(file)` throws. */
function openError(file: string): CaptureError {
  try {
    new FileSource(file);
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    return e as CaptureError;
  }
  return expect.fail(`${file} opened`);
}

function expectOneLineNaming(e: CaptureError, file: string): void {
  expect(e).toBeInstanceOf(UserError);
  expect(e.name).toBe('CaptureError');
  expect(e.message).not.toMatch(/[\r\n]/);
  expect(e.message.startsWith(`${file}: `)).toBe(true);
}

const tmp = mkdtempSync(join(tmpdir(), 'arpwarden-file-source-'));
afterAll(() => {
  try { chmodSync(join(tmp, 'unreadable.pcap'), 0o644); } catch { /* not created */ }
  rmSync(tmp, { recursive: true, force: true });
});

describe('pcap, pcapng and nanosecond pcap', () => {
  it('give the same frames and microsecond times', async () => {
    const [pcap, ng, ns] = await Promise.all(['arp-untagged.pcap', 'arp-pcapng.pcapng', 'arp-nanosecond.pcap'].map((f) => collect(capture(f))));
    const entry = manifest.find((e) => e.file === 'arp-untagged.pcap')!;
    expect(pcap.frames.length).toBe(entry.expect.frames);
    expect(pcap.stats).toEqual({ frames: entry.expect.frames });
    expect(Math.floor(pcap.frames[0].tsMicros / 1000)).toBe(Date.parse(entry.firstPacket));
    expect(Math.floor(pcap.frames.at(-1)!.tsMicros / 1000)).toBe(Date.parse(entry.lastPacket));
    expect(ng.frames).toEqual(pcap.frames);
    expect(ns.frames).toEqual(pcap.frames);
    expect(ng.stats).toEqual(pcap.stats);
    expect(ns.stats).toEqual(pcap.stats);
    for (const s of [pcap, ng, ns]) expect(s.source.linkType).toBe(1);
    expect(pcap.frames.every((f) => Number.isSafeInteger(f.tsMicros) && f.capLen === f.wireLen)).toBe(true);
  });

  it('the times are tcpdump\'s, to the microsecond (the nanosecond file truncated as libpcap does)', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/tcpdump', ['-tt', '-nn', '-r', capture('arp-nanosecond.pcap')], { encoding: 'utf8' });
    const theirs = stdout.split('\n').filter((l) => l !== '').map((l) => {
      const m = /^(\d+)\.(\d{6}) /.exec(l);
      return m ? Number(m[1]) * 1e6 + Number(m[2]) : NaN;
    });
    const ours = (await collect(capture('arp-nanosecond.pcap'))).frames.map((f) => f.tsMicros);
    expect(ours).toEqual(theirs);
  });

  it('every fixture reads to the end with the manifest\'s frame count and link type', async () => {
    for (const e of manifest) {
      const source = new FileSource(capture(e.file));
      let n = 0;
      const stats = await source.run(() => { n++; });
      expect({ file: e.file, linkType: source.linkType, frames: stats.frames, n, truncated: stats.truncated })
        .toEqual({ file: e.file, linkType: e.linktype, frames: e.expect.frames, n: e.expect.frames, truncated: undefined });
      expect(source.sizeBytes).toBe(statSync(capture(e.file)).size);
    }
  });
});

describe('files that are not captures: a CaptureError of one line naming the file', () => {
  it('a missing file', () => {
    const file = join(tmp, 'missing.pcap');
    const e = openError(file);
    expectOneLineNaming(e, file);
    expect(e.message).toBe(`${file}: no such file`);
  });

  it('a dangling symlink is a missing file; a symlink to a capture reads it', async () => {
    const dangling = join(tmp, 'dangling.pcap');
    symlinkSync(join(tmp, 'nowhere.pcap'), dangling);
    expect(openError(dangling).message).toBe(`${dangling}: no such file`);
    const link = join(tmp, 'link.pcap');
    symlinkSync(capture('arp-qinq.pcap'), link);
    expect((await collect(link)).stats.frames).toBe(45);
  });

  it('a directory', () => {
    const dir = join(tmp, 'a-directory.pcap');
    mkdirSync(dir);
    const e = openError(dir);
    expectOneLineNaming(e, dir);
    expect(e.message).toBe(`${dir}: not a regular file or a pipe`);
  });

  it('an unreadable file (mode 000): root reads it anyway, anyone else gets "permission denied"', async () => {
    const file = join(tmp, 'unreadable.pcap');
    writeFileSync(file, readFileSync(capture('arp-qinq.pcap')));
    chmodSync(file, 0o000);
    let openable: boolean;
    try {
      closeSync(openSync(file, 'r'));
      openable = true;
    } catch {
      openable = false;
    }
    // root has CAP_DAC_OVERRIDE: the mode bits do not stop it (these tests run as root)
    if (process.getuid?.() === 0) expect(openable).toBe(true);
    if (openable) {
      expect((await collect(file)).stats).toEqual({ frames: 45 });
    } else {
      const e = openError(file);
      expectOneLineNaming(e, file);
      expect(e.message).toBe(`${file}: permission denied`);
    }
  });

  it.each([
    ['text.pcap', Buffer.from('# not a capture\nhello\n'), 'unknown file format'],
    ['empty.pcap', Buffer.alloc(0), 'truncated dump file'],
    ['short-header.pcap', encodeCapture('pcap', [], { linktype: 1 }).subarray(0, 10), 'truncated dump file'],
    ['pcapng-without-idb.pcapng', encodeCapture('pcapng', [], { linktype: 1 }).subarray(0, 28), 'no Interface Description Block'],
    ['json.pcap', Buffer.from(JSON.stringify(manifest[0])), 'unknown file format'],
  ])('%s', (name, bytes, reason) => {
    const file = join(tmp, name);
    writeFileSync(file, bytes);
    const e = openError(file);
    expectOneLineNaming(e, file);
    expect(e.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a pcap or pcapng capture \\(.*${reason}.*\\)$`));
  });
});

describe('reading', () => {
  const records: PcapRecord[] = Array.from({ length: 6 }, (_, i) => ({
    tsMicros: T0 + i * 250_000,
    frame: i % 2 === 0 ? arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip, pad: true }) : arpReply({ sha: GW.mac, spa: GW.ip, tha: ME.mac, tpa: ME.ip }),
  }));
  const recordEnds = records.map((_, i) => 24 + records.slice(0, i + 1).reduce((n, r) => n + 16 + r.frame.length, 0));

  it('a file cut in the middle of a record: the records before it, and truncated: true', async () => {
    const whole = encodeCapture('pcap', records, { linktype: 1 });
    const cutFile = join(tmp, 'cut.pcap');
    writeFileSync(cutFile, whole.subarray(0, recordEnds[3] + 20));
    const cut = await collect(cutFile);
    expect(cut.stats).toEqual({ frames: 4, truncated: true });
    expect(cut.frames.map((f) => f.tsMicros)).toEqual(records.slice(0, 4).map((r) => r.tsMicros));
    // cut inside a record header too
    writeFileSync(cutFile, whole.subarray(0, recordEnds[1] + 5));
    expect((await collect(cutFile)).stats).toEqual({ frames: 2, truncated: true });
    // cut exactly between records: a complete, shorter capture
    writeFileSync(cutFile, whole.subarray(0, recordEnds[2]));
    expect((await collect(cutFile)).stats).toEqual({ frames: 3 });
  });

  it('a pcapng cut in the middle of a block: truncated: true', async () => {
    const whole = encodeCapture('pcapng', records, { linktype: 1 });
    const file = join(tmp, 'cut.pcapng');
    writeFileSync(file, whole.subarray(0, whole.length - 10));
    expect((await collect(file)).stats).toEqual({ frames: records.length - 1, truncated: true });
  });

  it('an abort stops the run after the frame that asked for it; an aborted signal reads nothing', async () => {
    const file = capture('arp-untagged.pcap');
    const controller = new AbortController();
    let n = 0;
    const stats = await new FileSource(file).run(() => {
      if (++n === 5) controller.abort();
    }, controller.signal);
    expect(stats).toEqual({ frames: 5 });
    expect(n).toBe(5);
    expect(await new FileSource(file).run(() => expect.fail('a frame after the abort'), AbortSignal.abort())).toEqual({ frames: 0 });
    // an abort on the very last frame
    const last = new AbortController();
    let m = 0;
    expect(await new FileSource(file).run(() => { if (++m === 63) last.abort(); }, last.signal)).toEqual({ frames: 63 });
  });

  it('run() once: a second run is refused (the libpcap handle is gone)', async () => {
    const source = new FileSource(capture('arp-qinq.pcap'));
    await source.run(() => {});
    await expect(source.run(() => {})).rejects.toThrow(/run\(\) called twice/);
  });

  it('progress ends at the file size', async () => {
    const seen: number[] = [];
    const { source } = await collect(capture('flood-spoofed-senders.pcap'), { onProgress: (b) => seen.push(b) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(source.sizeBytes);
    expect(seen.every((b, i) => b <= source.sizeBytes && (i === 0 || b >= seen[i - 1]))).toBe(true);
  });

  it.skipIf(!existsSync('/proc/self/fd'))('leaves no file open after a run, whatever its end', async () => {
    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const cutFile = join(tmp, 'leak-cut.pcap');
    writeFileSync(cutFile, encodeCapture('pcap', records, { linktype: 1 }).subarray(0, recordEnds[2] + 3));
    const before = openFds();
    for (let i = 0; i < 100; i++) {
      await new FileSource(capture('arp-qinq.pcap')).run(() => {});
      await new FileSource(cutFile).run(() => {});
      await new FileSource(capture('arp-qinq.pcap')).run(() => {}, AbortSignal.abort());
      const c = new AbortController();
      await new FileSource(capture('arp-qinq.pcap')).run(() => c.abort(), c.signal);
    }
    expect(openFds()).toBeLessThanOrEqual(before);
  });
});

describe('the frame buffer', () => {
  it('frames of a batch lie back to back in one reused buffer; capLen says how much is this frame; a frame larger than 64 KiB arrives whole (the file\'s snaplen is 262144)', async () => {
    const big = ethernet(GW.mac, ME.mac, 0x0800, new Uint8Array(70_000 - 14).fill(0xee));
    const small = arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip });
    const file = join(tmp, 'big-then-small.pcap');
    await writeCapture(file, 'pcap', [{ tsMicros: T0, frame: big }, { tsMicros: T0 + 1, frame: small }], { linktype: 1 });
    const seen: { buffer: Uint8Array; offset: number; capLen: number; wireLen: number; result: DecodeResult }[] = [];
    const p = new ArpPacket();
    const source = new FileSource(file);
    await source.run((frame, offset, capLen, wireLen, tsMicros) => {
      seen.push({ buffer: frame, offset, capLen, wireLen, result: decodeFrame(frame, capLen, wireLen, source.linkType, tsMicros, p, offset) });
    });
    expect(seen.map(({ capLen, wireLen }) => ({ capLen, wireLen }))).toEqual([{ capLen: 70_000, wireLen: 70_000 }, { capLen: 42, wireLen: 42 }]);
    expect(seen[0].buffer).toBe(seen[1].buffer);
    // the small frame follows the big one: the decoder reads it from its offset, not from 0 (where the big frame's bytes are)
    expect(seen[1].offset).toBe(70_000);
    expect(seen[1].buffer[0]).not.toBe(seen[1].buffer[seen[1].offset]);
    expect(seen.map((s) => s.result)).toEqual([DecodeResult.NOT_ARP, DecodeResult.ARP]);
  });
});

describe('--speed pacing', () => {
  it('speed 100 on 2 s of packet time takes about 20 ms, each frame no earlier than its time', async () => {
    const file = join(tmp, 'two-seconds.pcap');
    const frame = arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip });
    await writeCapture(file, 'pcap', Array.from({ length: 9 }, (_, i) => ({ tsMicros: T0 + i * 250_000, frame })), { linktype: 1 });
    const source = new FileSource(file, { speed: 100 });
    const at: number[] = [];
    const t0 = performance.now();
    const stats = await source.run(() => { at.push(performance.now()); });
    const elapsed = performance.now() - t0;
    expect(stats).toEqual({ frames: 9 });
    expect(elapsed).toBeGreaterThanOrEqual(19);
    expect(elapsed).toBeLessThan(5000);
    // frame i is due 2.5 ms × i after the first (250 ms of packet time at 100×), give or take the 1 ms the pacer forgives
    at.forEach((t, i) => expect(t - at[0]).toBeGreaterThanOrEqual(i * 2.5 - 1.5));
  });

  it('an abort ends a long wait at once: realtime with an hour between two frames stops when aborted', async () => {
    const file = join(tmp, 'an-hour-apart.pcap');
    const frame = arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip });
    await writeCapture(file, 'pcap', [{ tsMicros: T0, frame }, { tsMicros: T0 + 3600_000_000, frame }], { linktype: 1 });
    const ac = new AbortController();
    const t0 = performance.now();
    const run = new FileSource(file, { speed: 1 }).run(() => { setTimeout(() => ac.abort(), 50); }, ac.signal);
    expect(await run).toEqual({ frames: 1 });
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('speed "max" does not wait', async () => {
    const file = join(tmp, 'ten-seconds.pcap');
    const frame = arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip });
    await writeCapture(file, 'pcap', [{ tsMicros: T0, frame }, { tsMicros: T0 + 10_000_000, frame }], { linktype: 1 });
    const t0 = performance.now();
    expect((await collect(file, { speed: 'max' })).stats).toEqual({ frames: 2 });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('hostile headers and times', () => {
  const frame = arpRequest({ sha: ME.mac, spa: ME.ip, tpa: GW.ip, pad: true });
  const T2040 = Date.UTC(2040, 0, 1, 12) * 1000 + 123_456;
  const T2107 = Date.UTC(2107, 0, 1, 12) * 1000 + 654_321;

  it('pcap seconds from 2038-01-19 on are unsigned (to 2106), in micro- and nanosecond files', async () => {
    for (const format of ['pcap', 'pcap-ns'] as const) {
      const file = join(tmp, `2040.${format}.pcap`);
      writeFileSync(file, encodeCapture(format, [{ tsMicros: T2040, frame }, { tsMicros: T2040 + 1, frame }], { linktype: 1 }));
      expect((await collect(file)).frames.map((f) => f.tsMicros)).toEqual([T2040, T2040 + 1]);
    }
    const last = Date.UTC(2106, 1, 7, 6, 28, 15) * 1000; // 2^32 - 1 seconds
    const file = join(tmp, '2106.pcap');
    writeFileSync(file, encodeCapture('pcap', [{ tsMicros: last, frame }], { linktype: 1 }));
    expect((await collect(file)).frames[0].tsMicros).toBe(last);
  });

  it('pcapng times past 2106 as they are, micro- and nanosecond resolution', async () => {
    for (const tsresol of [6, 9]) {
      const file = join(tmp, `2107.${tsresol}.pcapng`);
      writeFileSync(file, encodeCapture('pcapng', [{ tsMicros: T2107, frame }], { linktype: 1, tsresol }));
      expect((await collect(file)).frames[0].tsMicros).toBe(T2107);
    }
  });

  it('a pcap record whose microseconds are out of range (or negative as int32) has no time: NaN, which decode counts', async () => {
    const bytes = encodeCapture('pcap', [{ tsMicros: T0, frame }, { tsMicros: T0, frame }, { tsMicros: T0 + 5, frame }], { linktype: 1 });
    const second = 24 + 16 + frame.length;
    bytes.writeUInt32LE(1_000_000, 24 + 4);
    bytes.writeUInt32LE(0x80000000, second + 4);
    const file = join(tmp, 'bad-usec.pcap');
    writeFileSync(file, bytes);
    const got = (await collect(file)).frames.map((f) => f.tsMicros);
    expect(got).toEqual([Number.NaN, Number.NaN, T0 + 5]);
    expect(decodeFrame(frame, frame.length, frame.length, 1, got[0], new ArpPacket())).toBe(DecodeResult.BAD_TIMESTAMP);
  });

  it('a pcapng time past 2^53 µs (and past JS Date) is delivered as read, and decode refuses it', async () => {
    const bytes = encodeCapture('pcapng', [{ tsMicros: T0, frame }], { linktype: 1 });
    // SHB 28 bytes, IDB 20; the EPB's timestamp (high word) follows its type, length and interface id
    bytes.writeUInt32LE(0xfffffff0, 28 + 20 + 12);
    const file = join(tmp, 'far-future.pcapng');
    writeFileSync(file, bytes);
    const [f] = (await collect(file)).frames;
    expect(f.tsMicros).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(decodeFrame(frame, frame.length, frame.length, 1, f.tsMicros, new ArpPacket())).toBe(DecodeResult.BAD_TIMESTAMP);
  });

  it('a header snaplen of 0x7fffffff (or 0) is capped as tcpdump caps it: 262144, and the batch buffer is small', async () => {
    for (const snaplen of [0x7fffffff, 0]) {
      const bytes = encodeCapture('pcap', [{ tsMicros: T0, frame }], { linktype: 1 });
      bytes.writeUInt32LE(snaplen, 16);
      const file = join(tmp, `snaplen-${snaplen}.pcap`);
      writeFileSync(file, bytes);
      const source = new FileSource(file);
      expect((source as unknown as { batch: { data: Buffer } }).batch.data.length).toBeLessThanOrEqual(2 << 20); // not 4 GiB
      const { frames } = await collect(file);
      expect(frames).toHaveLength(1);
      await source.run(() => {});
    }
  });

  it('a path longer than the addon takes is one line, not a path cut short', () => {
    const file = join(tmp, 'x'.repeat(5000));
    const e = openError(file);
    expect(e.message).not.toMatch(/[\r\n]/);
  });
});
