import { describe, expect, it } from 'vitest';
import { arpRequest, TPID_8021AD, TPID_8021Q, vlanTag } from '../../fixtures/lib/frames.js';
import type { CaptureStats, FrameHandler } from './frame-source.js';
import { META_FIELDS } from './frame-source.js';
import { VlanSelectSource } from './vlan-select.js';
import { VlanSet, vlanSetFilterProblem } from './vlan-set.js';

const req = (vlans: number[], tpid = TPID_8021Q): Uint8Array =>
  arpRequest({ sha: '0c:c4:7a:00:00:0a', spa: '198.51.100.7', tpa: '198.51.100.20', tags: vlans.map((v) => vlanTag(tpid, v)), pad: true });

/** The frames as one batch in one buffer, as the addon hands them over (offset, capLen, wireLen, time). */
class BatchSource {
  readonly linkType = 1;
  readonly filter = 'arp or (vlan and (arp or (vlan and arp)))';
  constructor(private readonly frames: Uint8Array[], private readonly asBatch: boolean) {}
  kernelStats(): NonNullable<CaptureStats['kernel']> { return { received: this.frames.length, dropped: 0, ifDropped: 0 }; }
  async run(onFrame: FrameHandler): Promise<CaptureStats> {
    const data = new Uint8Array(this.frames.reduce((n, f) => n + f.length, 0));
    const meta = new Float64Array(this.frames.length * META_FIELDS);
    let off = 0;
    this.frames.forEach((f, i) => {
      data.set(f, off);
      meta.set([off, f.length, f.length, 1000 + i], i * META_FIELDS);
      off += f.length;
    });
    if (this.asBatch && onFrame.batch !== undefined) onFrame.batch(data, meta, 0, this.frames.length, { aborted: false });
    else for (let i = 0; i < this.frames.length; i++) onFrame(data, meta[i * 4], meta[i * 4 + 1], meta[i * 4 + 2], meta[i * 4 + 3]);
    return { frames: this.frames.length };
  }
}

describe('capture --vlans: the outer VLANs one daemon watches', () => {
  it('parses ids, ranges and "untagged", and refuses anything else in one line', () => {
    const s = VlanSet.parse('100-102, 300,untagged');
    expect([99, 100, 101, 102, 103, 300].map((v) => s.has(v))).toEqual([false, true, true, true, false, true]);
    expect(s.untagged).toBe(true);
    expect(s.slug).toBe('vlans-100-102_300_untagged');
    expect(VlanSet.parse('7').untagged).toBe(false);
    expect(() => VlanSet.parse('100-4096')).toThrow(/^--vlans "100-4096": "100-4096" is not a VLAN id \(0-4095\), a range \(100-199\) or "untagged"$/);
    expect(() => VlanSet.parse('200-100')).toThrow(/"200-100" is not a VLAN id/);
    expect(() => VlanSet.parse('')).toThrow(/"" is not a VLAN id/);
  });

  // the outer tag decides (802.1Q or 802.1ad), per frame and per batch alike; the inner tag of QinQ does not
  const frames = [req([]), req([101]), req([102]), req([101]), req([300, 101], TPID_8021AD), req([101, 300]), req([4095])];
  for (const asBatch of [false, true]) {
    it(`keeps exactly the frames of its VLANs and counts the others (${asBatch ? 'batches' : 'frame by frame'})`, async () => {
      for (const [spec, times] of [['101', [1001, 1003, 1005]], ['102,300,untagged', [1000, 1002, 1004]], ['4095', [1006]]] as const) {
        const src = new VlanSelectSource(new BatchSource(frames, asBatch), VlanSet.parse(spec));
        const seen: number[] = [];
        const runs: number[] = [];
        const handler = Object.assign((_f: Uint8Array, _o: number, _c: number, _w: number, ts: number) => { seen.push(ts); }, {
          batch: (_d: Uint8Array, meta: Float64Array, from: number, to: number) => {
            runs.push(to - from);
            for (let i = from; i < to; i++) seen.push(meta[i * META_FIELDS + 3]);
            return to - from;
          },
        });
        await src.run(asBatch ? handler : (f, o, c, w, ts) => handler(f, o, c, w, ts));
        expect(seen).toEqual(times);
        expect(src.skipped).toBe(frames.length - times.length);
        expect(src.filter).toBe(`arp or (vlan and (arp or (vlan and arp))), VLANs ${spec}`);
        if (asBatch) expect(runs.reduce((a, b) => a + b, 0)).toBe(times.length);
      }
    });
  }

  it('refuses a capture without VLAN tags (the "any" device) in one line', () => {
    const cooked = Object.assign(new BatchSource([], false), { linkType: 113 });
    expect(() => new VlanSelectSource(cooked, VlanSet.parse('100'))).toThrow(/^--vlans: needs an Ethernet capture \(link type 113 carries no VLAN tags/);
  });

  it('warns of a --filter that reads as a set of VLANs, not of QinQ or the default', () => {
    expect(vlanSetFilterProblem('vlan 101 or vlan 102')).toMatch(/^--filter "vlan 101 or vlan 102": libpcap tests each "vlan" .* use --vlans A,B/);
    expect(vlanSetFilterProblem('(vlan 101 or vlan 102) and arp')).not.toBeNull();
    expect(vlanSetFilterProblem('vlan 100 and vlan 200 and arp')).toBeNull();
    expect(vlanSetFilterProblem('arp or (vlan and (arp or (vlan and arp)))')).toBeNull();
    expect(vlanSetFilterProblem('vlan 101 and arp')).toBeNull();
  });
});
