import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerCaptures } from '../../fixtures/expected-incidents.js';
import { arp, T0 } from '../../test/helpers/arp.js';
import { FileSource } from '../capture/file-source.js';
import { defaultConfig } from '../config/schema.js';
import { formatTcpdump } from '../decode/format-tcpdump.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import { EvidenceFrames } from './evidence-frames.js';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures');
const at = (t: number): ReturnType<typeof arp> => arp({ t, from: '198.51.100.7', mac: '0c:c4:7a:00:00:0a', target: '198.51.100.20' });

describe('EvidenceFrames', () => {
  it('keeps the first `cap` samples, and the latest `cap` frames after them in a ring, oldest first', () => {
    const f = new EvidenceFrames(3);
    for (let i = 0; i < 5; i++) f.sample(at(i));
    for (let i = 10; i < 17; i++) f.later(at(i));
    const secs = (ps: { tsMicros: number }[]): number[] => ps.map((p) => (p.tsMicros - T0) / 1e6);
    expect(secs(f.first)).toEqual([0, 1, 2]);
    expect(secs(f.last())).toEqual([14, 15, 16]);
    expect(secs(f.all())).toEqual([0, 1, 2, 14, 15, 16]);
  });

  it('a ring not yet full gives what it has; a folded incident\'s samples go first, `cap` in all', () => {
    const f = new EvidenceFrames(3);
    f.sample(at(5));
    f.later(at(9));
    f.prepend([at(1), at(2), at(3)], ['one', 'two', 'three']);
    expect(f.first.map((p) => (p.tsMicros - T0) / 1e6)).toEqual([1, 2, 3]);
    expect(f.last().map((p) => (p.tsMicros - T0) / 1e6)).toEqual([9]);
    expect(f.lines()).toEqual(['one', 'two', 'three']);
  });

  it('formats the sample lines when read, the ones that came since the last read included', () => {
    const f = new EvidenceFrames(3);
    f.sample(at(1));
    const line = (t: number): string => formatTcpdump(at(t));
    expect(f.lines()).toEqual([line(1)]);
    f.sample(at(2));
    f.sample(at(3));
    f.sample(at(4)); // past cap: neither frame nor line
    expect(f.sampleCount).toBe(3);
    expect(f.lines()).toEqual([line(1), line(2), line(3)]);
  });

  it('keeps lines given for its frames; when they are not one a frame, counts them apart and formats new ones at once', () => {
    const aligned = new EvidenceFrames(3);
    aligned.sample(at(1));
    aligned.setLines(['saved line']);
    aligned.sample(at(2));
    expect(aligned.lines()).toEqual(['saved line', formatTcpdump(at(2))]);
    // a state saved with lines and no frames
    const detached = new EvidenceFrames(3);
    detached.setLines(['a', 'b']);
    expect(detached.sampleCount).toBe(2);
    detached.sample(at(5));
    detached.sample(at(6));
    expect(detached.lines()).toEqual(['a', 'b', formatTcpdump(at(5))]);
    expect(detached.first.map((p) => (p.tsMicros - T0) / 1e6)).toEqual([5, 6]);
  });
});

describe('the incident book keeps the frames of its samples', () => {
  it.each(providerCaptures())('%s: every incident\'s first frames print as its sample lines', async (capture) => {
    const run = await replayFile(new FileSource(path.join(FIXTURES, 'captures', capture)), defaultConfig(), loadInventory(path.join(FIXTURES, 'inventory.yaml')));
    const incidents = run.detection!.incidents!;
    for (const inc of incidents) {
      expect(inc.frames, inc.id).toBeDefined();
      expect(inc.frames!.first.map((p) => formatTcpdump(p)), inc.id).toEqual(inc.samples);
      for (const p of inc.frames!.last()) expect(p.tsMicros).toBeGreaterThanOrEqual(inc.frames!.first.at(-1)!.tsMicros);
    }
  });
});
