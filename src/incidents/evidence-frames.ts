import { ArpPacket, MAX_VLAN_TAGS } from '../decode/arp-packet.js';
import { formatTcpdump } from '../decode/format-tcpdump.js';

/** Numbers one kept frame takes: the packet's fields, then its tags. */
const FIELDS = 20 + MAX_VLAN_TAGS;

/** A packet's fields into `a` from `at` (the ring's slots are refilled in place: no allocation per signal). */
function pack(p: Readonly<ArpPacket>, a: Float64Array, at: number): void {
  a[at] = p.tsMicros; a[at + 1] = p.wireLen; a[at + 2] = p.capLen; a[at + 3] = p.linkType;
  a[at + 4] = p.ethSrc; a[at + 5] = p.ethDst; a[at + 6] = p.sllPacketType; a[at + 7] = p.sllIfindex;
  a[at + 8] = p.vlanDepth; a[at + 9] = p.outerTpid; a[at + 10] = p.outerTci; a[at + 11] = p.innerTpid; a[at + 12] = p.innerTci;
  a[at + 13] = p.op; a[at + 14] = p.senderMac; a[at + 15] = p.senderIp; a[at + 16] = p.targetMac; a[at + 17] = p.targetIp;
  a[at + 18] = p.gratuitous ? 1 : 0; a[at + 19] = p.probe ? 1 : 0;
  for (let t = 0; t < MAX_VLAN_TAGS; t++) a[at + 20 + t] = p.tags[t];
}

function unpack(a: Float64Array, at: number): ArpPacket {
  const p = new ArpPacket();
  p.tsMicros = a[at]; p.wireLen = a[at + 1]; p.capLen = a[at + 2]; p.linkType = a[at + 3];
  p.ethSrc = a[at + 4]; p.ethDst = a[at + 5]; p.sllPacketType = a[at + 6]; p.sllIfindex = a[at + 7];
  p.vlanDepth = a[at + 8]; p.outerTpid = a[at + 9]; p.outerTci = a[at + 10]; p.innerTpid = a[at + 11]; p.innerTci = a[at + 12];
  p.op = a[at + 13]; p.senderMac = a[at + 14]; p.senderIp = a[at + 15]; p.targetMac = a[at + 16]; p.targetIp = a[at + 17];
  p.gratuitous = a[at + 18] === 1; p.probe = a[at + 19] === 1;
  for (let t = 0; t < MAX_VLAN_TAGS; t++) p.tags[t] = a[at + 20 + t];
  return p;
}

/** One of the first `n` frames packed in `a` is `p` (its time first: most differ there). */
function includes(a: Float64Array, n: number, p: Readonly<ArpPacket>): boolean {
  for (let at = 0; at < n * FIELDS; at += FIELDS) {
    if (a[at] === p.tsMicros && a[at + 15] === p.senderIp && a[at + 17] === p.targetIp && a[at + 13] === p.op
      && a[at + 14] === p.senderMac && a[at + 16] === p.targetMac && a[at + 4] === p.ethSrc && a[at + 5] === p.ethDst
      && a[at + 10] === p.outerTci && a[at + 12] === p.innerTci && a[at + 8] === p.vlanDepth && a[at + 1] === p.wireLen) return true;
  }
  return false;
}

/** Room for `n` more frames in `a` (holding `used`), growing by doubling up to `cap`. */
function room(a: Float64Array | null, used: number, cap: number): Float64Array {
  if (a !== null && (used + 1) * FIELDS <= a.length) return a;
  const next = new Float64Array(Math.min(cap, Math.max(2, used * 2)) * FIELDS);
  if (a !== null) next.set(a);
  return next;
}

/**
 * An incident's evidence frames, bounded: the first `cap` (one per sample line, in the same order, so they print as
 * the samples do) and the last `cap` seen since, in a ring. Kept packed as numbers (28 a frame, about 230 bytes, where
 * an ArpPacket copy takes about 500: open incidents are capped by memory), and made ArpPackets again when read.
 * The sample lines (`lines`) are formatted from the first frames when read, not as the frames come: a replay that
 * prints nothing formats nothing, and a frame costs a copy of its numbers, not a string.
 */
export class EvidenceFrames {
  private firstData: Float64Array | null = null;
  private firstCount = 0;
  private ringData: Float64Array | null = null;
  /** frames that went into the ring, in all */
  private ringTaken = 0;
  /** the sample lines formatted so far: the lines of the first `texts.length` frames, then (while not detached) the rest when read */
  private texts: string[] = [];
  /**
   * the lines are not the first frames' (a saved incident whose lines and frames differ in number): from then on a
   * sample's line is formatted as it comes and the lines are counted apart from the frames
   */
  private detached = false;

  constructor(private readonly cap: number) {}

  /** The sample frames, in order (new packets: read, not kept for writing). */
  get first(): ArpPacket[] {
    const out: ArpPacket[] = [];
    for (let i = 0; i < this.firstCount; i++) out.push(unpack(this.firstData!, i * FIELDS));
    return out;
  }

  /** Sample lines held (formatted or not yet), at most `cap`. */
  get sampleCount(): number {
    return this.detached ? this.texts.length : this.firstCount;
  }

  /**
   * The sample lines, as `tcpdump -tttt -nn -e` prints the first frames (formatted on the first read after a sample
   * came). The array is this object's: copy it to keep it.
   */
  lines(): string[] {
    if (!this.detached) {
      for (let i = this.texts.length; i < this.firstCount; i++) this.texts.push(formatTcpdump(unpack(this.firstData!, i * FIELDS)));
    }
    return this.texts;
  }

  /**
   * `p` is a frame held already, as a sample or among the latest: one frame can raise two signals of an incident
   * (a reserved sender that also asks for the wrong gateway; a request counted again when it expires unanswered), and
   * its evidence must show it once, as tcpdump does. Compared on the fields that tell two frames apart.
   */
  holds(p: Readonly<ArpPacket>): boolean {
    return (this.firstData !== null && includes(this.firstData, this.firstCount, p))
      || (this.ringData !== null && includes(this.ringData, Math.min(this.ringTaken, this.cap), p));
  }

  /** A frame that is a sample line of the incident (kept while there is room for a line). */
  sample(p: Readonly<ArpPacket>): void {
    if (this.detached && this.texts.length < this.cap) this.texts.push(formatTcpdump(p));
    if (this.firstCount >= this.cap) return;
    // all `cap` at once: most incidents take their `cap` samples, and one allocation costs less than four doublings
    if (this.firstData === null) this.firstData = new Float64Array(this.cap * FIELDS);
    pack(p, this.firstData, this.firstCount++ * FIELDS);
  }

  /** A frame of evidence past the sample lines: into the ring of the latest. */
  later(p: Readonly<ArpPacket>): void {
    const slot = this.ringTaken % this.cap;
    if (this.ringTaken < this.cap) this.ringData = room(this.ringData, this.ringTaken, this.cap);
    pack(p, this.ringData!, slot * FIELDS);
    this.ringTaken++;
  }

  /** The latest frames past the samples, oldest first. */
  last(): ArpPacket[] {
    const n = Math.min(this.ringTaken, this.cap);
    const start = this.ringTaken <= this.cap ? 0 : this.ringTaken % this.cap;
    const out: ArpPacket[] = [];
    for (let i = 0; i < n; i++) out.push(unpack(this.ringData!, ((start + i) % this.cap) * FIELDS));
    return out;
  }

  /** First, then last: what the evidence pcap holds. */
  all(): ArpPacket[] {
    return [...this.first, ...this.last()];
  }

  /**
   * The lines already made for the first frames (a saved incident's, a flood's taken from its members'): kept as
   * given; when they are not one per first frame, later lines are formatted as their frames come.
   */
  setLines(lines: readonly string[]): void {
    this.texts = lines.slice(0, this.cap);
    this.detached = this.texts.length !== this.firstCount;
  }

  /** The samples of an incident folded into this one came first: theirs before ours, `cap` at most (frames and lines alike). */
  prepend(earlier: readonly ArpPacket[], earlierLines: readonly string[]): void {
    const lines = [...earlierLines, ...this.lines()].slice(0, this.cap);
    const merged = [...earlier, ...this.first].slice(0, this.cap);
    this.firstData = null;
    this.firstCount = 0;
    this.detached = false;
    this.texts = [];
    for (const p of merged) this.sample(p);
    this.setLines(lines);
  }
}

