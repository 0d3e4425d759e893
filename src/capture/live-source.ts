import { CaptureError } from './capture-error.js';
import { refuseUndecodedLinkType } from './decoded-link-types.js';
import { arpFilterFor, checkFilterText, setFilterOrClose } from './bpf.js';
import { type CaptureStats, type FrameHandler, type FrameSource, META_FIELDS, type StopFlag } from './frame-source.js';
import { FrameBatch, MAX_BUFFER_BYTES, MAX_DEVICE_BYTES, type PcapHandle, pcap, READ_ERROR } from './native-capture.js';

/** A live capture drains each batch whole (stop() drains what the kernel holds). */
const NEVER: Readonly<StopFlag> = { aborted: false };

export interface LiveSourceOptions {
  /** BPF filter; default: ARP, tagged or not, as the link type allows */
  filter?: string;
  /** promiscuous mode (a span port delivers frames for other MACs) @defaultValue true */
  promiscuous?: boolean;
  /** kernel capture buffer in bytes @defaultValue 32 MiB */
  bufferBytes?: number;
  /** bytes kept per frame; ARP needs 64 with two tags @defaultValue 256 */
  snapLen?: number;
  /** how often the kernel ring is read, ms @defaultValue 5 */
  pollMs?: number;
  /**
   * the kernel hands over a block of frames when it is full or this old, ms; 0: each frame at once
   * (libpcap's immediate mode) @defaultValue 100
   */
  blockTimeoutMs?: number;
}

/**
 * Why blocks (TPACKET_V3) and not immediate mode: libpcap's immediate mode falls back to TPACKET_V2, one
 * fixed slot a frame sized for the snaplen (about 340 bytes), so a 32 MiB ring holds 100,000 ARP frames;
 * in 256 KiB blocks filled back to back it holds 214,000 at 200,000 frames/s (bench/live-ring.ts), twice
 * the time a collection or a busy core may take before the kernel drops, and is drained at half the CPU.
 * The kernel hands a block over when its timer fires, full or not: at 20,000 frames/s, 100 ms blocks
 * held 131,000 frames (6.6 s), 10 ms blocks 27,000 (1.3 s, less than immediate mode's 5 s). A frame waits
 * at most the timeout longer, far inside the live clock's lag (HEARTBEAT_LAG_MICROS, 2 s); its packet time
 * is the kernel's, as before.
 */
export const LIVE_DEFAULTS = { promiscuous: true, bufferBytes: 32 << 20, snapLen: 256, pollMs: 5, blockTimeoutMs: 100 } as const;

/** At stop, how long past the block timeout to wait for the kernel to hand over its last, partly filled block, ms. */
const LAST_BLOCK_GRACE_MS = 5;
/** A block timeout over a second would hold frames toward the live clock's lag. */
const MAX_BLOCK_TIMEOUT_MS = 1000;

/** Batches read per poll before other work gets a turn. */
const MAX_BATCHES_PER_POLL = 64;

/**
 * Live capture on an interface through libpcap (our addon: batched reads,
 * pcap_stats, and a close that really closes). The kernel ring (TPACKET_V3)
 * holds frames between polls; each poll drains it in batches.
 */
export class LiveSource implements FrameSource {
  readonly linkType: number;
  readonly filter: string;
  private readonly handle: PcapHandle;
  private readonly batch: FrameBatch;
  private readonly pollMs: number;
  /** how long a stop waits for the kernel's last block: 0 in immediate mode */
  private readonly lastBlockMs: number;
  private closed = false;
  /** the counters when the handle was last readable: a closed or failed handle has none of its own */
  private lastKernel: NonNullable<CaptureStats['kernel']> = { received: 0, dropped: 0, ifDropped: 0 };

  constructor(readonly device: string, options: LiveSourceOptions = {}) {
    const o = { ...LIVE_DEFAULTS, ...options };
    checkLiveArguments(device, options.filter, o.bufferBytes, o.snapLen, o.blockTimeoutMs);
    let opened;
    try {
      opened = pcap.openLive(device, o.snapLen, o.promiscuous, o.bufferBytes, o.blockTimeoutMs);
    } catch (e) {
      throw liveError(device, e);
    }
    refuseUndecodedLinkType(`interface ${device}`, opened);
    this.handle = opened.handle;
    this.linkType = opened.linkType;
    // cooked captures (the `any` device) refuse `vlan`: the default filter depends on the link type
    this.filter = options.filter ?? arpFilterFor(opened.linkType);
    setFilterOrClose(this.handle, this.filter);
    this.batch = new FrameBatch(opened.snapLen, 4096);
    this.pollMs = o.pollMs;
    this.lastBlockMs = o.blockTimeoutMs === 0 ? 0 : o.blockTimeoutMs + LAST_BLOCK_GRACE_MS;
  }

  run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    let frames = 0;
    let readError: string | null = null;
    const { data, meta } = this.batch;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      /** false once the handle has failed: an interface that disappeared never delivers again, so polling it would be deafness */
      const drain = (): boolean => {
        for (let b = 0; b < MAX_BATCHES_PER_POLL; b++) {
          const n = pcap.readBatch(this.handle, data, meta);
          if (n === READ_ERROR) {
            readError ??= pcap.error(this.handle) || 'read error';
            return false;
          }
          if (n <= 0) break;
          // whole batches to a handler that takes them: no per-frame call carries the packet time
          if (onFrame.batch !== undefined) onFrame.batch(data, meta, 0, n, NEVER);
          else {
            for (let i = 0; i < n; i++) {
              const m = i * META_FIELDS;
              onFrame(data, meta[m], meta[m + 1], meta[m + 2], meta[m + 3]);
            }
          }
          frames += n;
        }
        return true;
      };
      const poll = (): void => {
        if (drain()) timer = setTimeout(poll, this.pollMs);
        else stop();
      };
      const finish = (): void => {
        if (readError === null) drain(); // what the kernel already holds
        const kernel = this.kernelStats();
        this.close();
        resolve(readError === null ? { frames, kernel } : { frames, kernel, readError });
      };
      const stop = (): void => {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        signal?.removeEventListener('abort', stop);
        // frames the kernel holds in a block not yet handed over come with it, once the block timeout passes
        if (readError === null && this.lastBlockMs > 0) setTimeout(finish, this.lastBlockMs);
        else finish();
      };
      if (signal?.aborted) return stop();
      signal?.addEventListener('abort', stop, { once: true });
      poll();
    });
  }

  /** The kernel's counters since the capture opened (pcap_stats); after close or a failure, the last ones read. */
  kernelStats(): NonNullable<CaptureStats['kernel']> {
    if (this.closed) return this.lastKernel;
    try {
      this.lastKernel = pcap.stats(this.handle);
    } catch {
      // a handle whose interface is gone: its last counters stand
    }
    return this.lastKernel;
  }

  close(): void {
    if (this.closed) return;
    this.kernelStats(); // the last counters, for a snapshot taken after the close
    this.closed = true;
    pcap.close(this.handle);
  }
}

/** What the addon would refuse or wrap, refused here in one line that does not repeat a huge argument. */
function checkLiveArguments(device: string, filter: string | undefined, bufferBytes: number, snapLen: number, blockTimeoutMs: number): void {
  const deviceBytes = Buffer.byteLength(device);
  if (deviceBytes > MAX_DEVICE_BYTES) throw new CaptureError('interface', `a name of ${deviceBytes} bytes: no interface has one longer than ${MAX_DEVICE_BYTES}`);
  if (filter !== undefined) checkFilterText(filter);
  if (!Number.isInteger(bufferBytes) || bufferBytes < 1 || bufferBytes > MAX_BUFFER_BYTES) {
    throw new CaptureError('capture buffer', `${bufferBytes} bytes: expected 1 to ${MAX_BUFFER_BYTES} (libpcap takes a C int)`);
  }
  if (!Number.isInteger(snapLen) || snapLen < 1) throw new CaptureError('snaplen', `${snapLen}: expected a positive whole number of bytes`);
  if (!Number.isInteger(blockTimeoutMs) || blockTimeoutMs < 0 || blockTimeoutMs > MAX_BLOCK_TIMEOUT_MS) {
    throw new CaptureError('block timeout', `${blockTimeoutMs} ms: expected 0 to ${MAX_BLOCK_TIMEOUT_MS}`);
  }
}

function liveError(device: string, e: unknown): CaptureError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/No such device|doesn't exist|not found/i.test(msg)) return new CaptureError(`interface ${device}`, 'no such interface');
  if (/permission|Operation not permitted/i.test(msg)) return new CaptureError(`interface ${device}`, `permission denied (run as root or give node CAP_NET_RAW): ${msg}`);
  return new CaptureError(`interface ${device}`, msg);
}
