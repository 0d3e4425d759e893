import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** An open libpcap handle of our addon (native/arpwarden_capture.c). */
export type PcapHandle = { readonly __pcapHandle: unique symbol };

export interface OpenedCapture {
  handle: PcapHandle;
  /** LINKTYPE_* of the frames (libpcap's DLT_* number: the same for the link types the decoder reads) */
  linkType: number;
  /** as tcpdump names it: "EN10MB (Ethernet)", "RAW (Raw IP)", or the number libpcap has no name for */
  linkTypeName: string;
  snapLen: number;
}

interface Addon {
  /** `-`: standard input (a dup of fd 0); a pipe is read as a file is */
  openOffline(file: string): OpenedCapture;
  openLive(device: string, snapLen: number, promisc: boolean, bufferBytes: number, timeoutMs: number): OpenedCapture;
  setFilter(h: PcapHandle, expression: string): void;
  /** frames copied into `data` (meta: offset, caplen, wirelen, µs per frame); -1 end of file; -2 read error (see error()) */
  readBatch(h: PcapHandle, data: Buffer, meta: Float64Array): number;
  error(h: PcapHandle): string;
  stats(h: PcapHandle): { received: number; dropped: number; ifDropped: number };
  close(h: PcapHandle): void;
  libVersion(): string;
}

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const pcap = require(path.join(root, 'native', 'build', 'Release', 'arpwarden_capture.node')) as Addon;

/** tcpdump's largest snaplen: a file header may claim 0x7fffffff, and batches are sized from it (the addon caps it too). */
export const MAX_SNAPLEN = 262_144;

/** The longest BPF expression the addon takes (its buffer); a longer one is refused whole, never cut. */
export const MAX_FILTER_BYTES = 65_536;
/** The longest interface name the addon takes (Linux's own limit is 15). */
export const MAX_DEVICE_BYTES = 255;
/** libpcap takes the kernel buffer as a C int of bytes. */
export const MAX_BUFFER_BYTES = 2 ** 31 - 1;

export const END_OF_FILE = -1;
export const READ_ERROR = -2;

/** One batch: frames back to back in `data`, four numbers per frame in `meta`. Reused for every read. */
export class FrameBatch {
  readonly data: Buffer;
  readonly meta: Float64Array;

  /** Room for `frames` frames, and at least two of the largest (`snapLen`). */
  constructor(snapLen: number, frames = 8192) {
    const snap = snapLen > 0 && snapLen <= MAX_SNAPLEN ? snapLen : MAX_SNAPLEN;
    this.data = Buffer.allocUnsafe(Math.max(frames * 128, snap * 2));
    this.meta = new Float64Array(frames * 4);
  }
}
