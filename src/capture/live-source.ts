import { CaptureError } from './capture-error.js';
import { arpFilterFor } from './bpf.js';
import { type CaptureStats, type FrameHandler, type FrameSource, META_FIELDS, type StopFlag } from './frame-source.js';
import { FrameBatch, type PcapHandle, pcap } from './native-capture.js';

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
}

export const LIVE_DEFAULTS = { promiscuous: true, bufferBytes: 32 << 20, snapLen: 256, pollMs: 5 } as const;

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
  private closed = false;

  constructor(readonly device: string, options: LiveSourceOptions = {}) {
    const o = { ...LIVE_DEFAULTS, ...options };
    let opened;
    try {
      opened = pcap.openLive(device, o.snapLen, o.promiscuous, o.bufferBytes, 0);
    } catch (e) {
      throw liveError(device, e);
    }
    this.handle = opened.handle;
    this.linkType = opened.linkType;
    // cooked captures (the `any` device) refuse `vlan`: the default filter depends on the link type
    this.filter = options.filter ?? arpFilterFor(opened.linkType);
    try {
      pcap.setFilter(this.handle, this.filter);
    } catch (e) {
      pcap.close(this.handle);
      throw new CaptureError(`filter "${this.filter}"`, e instanceof Error ? e.message : String(e));
    }
    this.batch = new FrameBatch(opened.snapLen, 4096);
    this.pollMs = o.pollMs;
  }

  /** the counters read just before the handle closed */
  private finalStats: NonNullable<CaptureStats['kernel']> | null = null;

  run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    let frames = 0;
    const { data, meta } = this.batch;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const drain = (): void => {
        for (let b = 0; b < MAX_BATCHES_PER_POLL; b++) {
          const n = pcap.readBatch(this.handle, data, meta);
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
      };
      const poll = (): void => {
        drain();
        timer = setTimeout(poll, this.pollMs);
      };
      const stop = (): void => {
        if (timer !== null) clearTimeout(timer);
        drain(); // what the kernel already holds
        const kernel = this.kernelStats();
        this.close();
        resolve({ frames, kernel });
      };
      if (signal?.aborted) return stop();
      signal?.addEventListener('abort', stop, { once: true });
      poll();
    });
  }

  /** The kernel's counters since the capture opened (pcap_stats); once closed, the last ones (a final snapshot reads them). */
  kernelStats(): NonNullable<CaptureStats['kernel']> {
    return this.finalStats ?? pcap.stats(this.handle);
  }

  close(): void {
    if (this.closed) return;
    this.finalStats = pcap.stats(this.handle);
    this.closed = true;
    pcap.close(this.handle);
  }
}

function liveError(device: string, e: unknown): CaptureError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/No such device|doesn't exist|not found/i.test(msg)) return new CaptureError(`interface ${device}`, 'no such interface');
  if (/permission|Operation not permitted/i.test(msg)) return new CaptureError(`interface ${device}`, `permission denied (run as root or give node CAP_NET_RAW): ${msg}`);
  return new CaptureError(`interface ${device}`, msg);
}
