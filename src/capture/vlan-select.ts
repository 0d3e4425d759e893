import { LINKTYPE_ETHERNET, linkTypeName } from '../decode/link-types.js';
import { CaptureError } from './capture-error.js';
import { type BatchHandler, type CaptureStats, type FrameHandler, type FrameSource, META_FIELDS } from './frame-source.js';
import { UNTAGGED, type VlanSet } from './vlan-set.js';

/**
 * A source keeping only the frames whose outer VLAN is in `set` (untagged ones if it says so): `replay --vlans`, one
 * shard's share of a span port as its daemon saw it, and (VlanSelectSource) the live daemon's own `--vlans`.
 * Done here and not in the BPF filter because libpcap cannot express a set of VLANs: every `vlan` keyword
 * moves the offsets of what follows, even across `or` (`vlan 101 or vlan 102` matches VLAN 101 only, and
 * `(vlan 101 or vlan 102) and arp` nothing), and on Linux only the first one reads the tag the kernel took
 * off the frame. Per frame: two reads of bytes the decoder reads anyway, and a table look-up.
 */
export class VlanSelect implements FrameSource {
  /** frames of other VLANs, passed over */
  skipped = 0;

  /** `notEthernet`: why a capture of another link type is refused */
  constructor(private readonly inner: FrameSource, readonly set: VlanSet, notEthernet = `${linkTypeName(inner.linkType)} carries no VLAN tags`) {
    if (inner.linkType !== LINKTYPE_ETHERNET) throw new CaptureError('--vlans', `needs an Ethernet capture (${notEthernet})`);
  }

  get linkType(): number {
    return this.inner.linkType;
  }

  run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    return this.inner.run(vlanSelecting(onFrame, this.set, () => { this.skipped++; }), signal);
  }
}

/** A live source as the daemon takes it (daemon/capture-daemon.ts LiveFrameSource): its filter, the kernel's counters. */
interface LiveFrames extends FrameSource {
  readonly filter: string;
  kernelStats(): NonNullable<CaptureStats['kernel']>;
}

/** The live capture's VlanSelect: its filter and kernel counters still readable through it. */
export class VlanSelectSource extends VlanSelect implements LiveFrames {
  constructor(private readonly live: LiveFrames, set: VlanSet) {
    super(live, set, `link type ${live.linkType} carries no VLAN tags: the "any" device?`);
  }

  get filter(): string {
    return `${this.live.filter}, VLANs ${this.set.text}`;
  }

  kernelStats(): NonNullable<CaptureStats['kernel']> {
    return this.live.kernelStats();
  }
}

/** `inner` told only the frames whose outer VLAN is in `set` (untagged ones if it says so); `skip` counts the others. */
function vlanSelecting(inner: FrameHandler, set: VlanSet, skip: () => void): FrameHandler {
  const keep = set.keep;
  const kept = (frame: Uint8Array, offset: number, capLen: number): boolean => {
    if (capLen < 16) return keep[UNTAGGED] === 1;
    const type = (frame[offset + 12] << 8) | frame[offset + 13];
    if (type !== 0x8100 && type !== 0x88a8 && type !== 0x9100) return keep[UNTAGGED] === 1;
    return keep[((frame[offset + 14] & 0x0f) << 8) | frame[offset + 15]] === 1;
  };
  const handler = (frame: Uint8Array, offset: number, capLen: number, wireLen: number, tsMicros: number): void => {
    if (kept(frame, offset, capLen)) inner(frame, offset, capLen, wireLen, tsMicros);
    else skip();
  };
  const innerBatch = inner.batch;
  if (innerBatch === undefined) return handler;
  // runs of kept frames go on in one call each, as the batch came
  const batch: BatchHandler = (data, meta, from, to, stop) => {
    let i = from;
    while (i < to && !stop.aborted) {
      const m = i * META_FIELDS;
      if (!kept(data, meta[m], meta[m + 1])) {
        skip();
        i++;
        continue;
      }
      let j = i + 1;
      while (j < to && kept(data, meta[j * META_FIELDS], meta[j * META_FIELDS + 1])) j++;
      const n = innerBatch(data, meta, i, j, stop);
      i += n;
      if (i < j) break; // stopped inside the run
    }
    return i - from;
  };
  return Object.assign(handler, { batch });
}
