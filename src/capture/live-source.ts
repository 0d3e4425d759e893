import { CaptureError } from './capture-error.js';
import { arpFilterFor, TAGGED_ARP_FILTER } from './bpf.js';
import type { CaptureStats, FrameHandler, FrameSource } from './frame-source.js';
import { DEFAULT_SNAPLEN, HEADER_BYTES, linkTypeNumber, newNativeSession, type NativePcapSession } from './pcap-binding.js';

export interface LiveSourceOptions {
  /** BPF filter; default: ARP, tagged or not, as the link type allows */
  filter?: string;
  /** promiscuous mode (a span port delivers frames for other MACs) @defaultValue true */
  promiscuous?: boolean;
  /** kernel capture buffer in bytes @defaultValue 32 MiB */
  bufferBytes?: number;
  /** bytes kept per frame; ARP needs 64 with two tags @defaultValue 256 */
  snapLen?: number;
  /** packet buffer timeout in ms; 0 = immediate mode @defaultValue 0 */
  timeoutMs?: number;
}

export const LIVE_DEFAULTS = { promiscuous: true, bufferBytes: 32 << 20, snapLen: 256, timeoutMs: 0 } as const;

/**
 * Live capture on an interface through libpcap (`pcap`'s live session: it has
 * pcap_stats, which `cap` lacks). Frames arrive from the event loop as the
 * socket becomes readable.
 */
export class LiveSource implements FrameSource {
  readonly linkType: number;
  readonly filter: string;
  private readonly session: NativePcapSession;
  private readonly buf: Buffer;
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private handler: FrameHandler | null = null;
  private frames = 0;
  private closed = false;

  constructor(readonly device: string, options: LiveSourceOptions = {}) {
    const o = { ...LIVE_DEFAULTS, ...options };
    this.buf = Buffer.alloc(Math.max(64, Math.min(o.snapLen, DEFAULT_SNAPLEN)));
    const open = (filter: string): { session: NativePcapSession; linkName: string } => {
      const session = newNativeSession();
      const linkName = session.open_live(device, filter, o.bufferBytes, this.buf.length, '',
        () => this.onPacket(), false, o.timeoutMs, () => {}, o.promiscuous);
      return { session, linkName };
    };
    let opened: { session: NativePcapSession; linkName: string };
    let filter = options.filter ?? TAGGED_ARP_FILTER;
    try {
      opened = open(filter);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      // cooked captures (the `any` device) refuse `vlan`: retry with what the link type allows
      if (options.filter === undefined && /vlan|link[- ]?layer|not supported/i.test(msg)) {
        filter = arpFilterFor(113);
        try {
          opened = open(filter);
        } catch (e2) {
          throw liveError(device, e2);
        }
      } else {
        throw liveError(device, e);
      }
    }
    this.session = opened.session;
    this.linkType = linkTypeNumber(opened.linkName);
    this.filter = filter;
  }

  run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    this.handler = onFrame;
    return new Promise((resolve) => {
      const stop = (): void => resolve(this.stop());
      if (signal?.aborted) return stop();
      signal?.addEventListener('abort', stop, { once: true });
      this.session.read_callback = () => {
        if (!this.closed) this.session.dispatch(this.buf, this.header);
      };
      this.session.start_polling();
      // frames may already wait in the ring before the first readable event
      setImmediate(() => this.session.read_callback?.());
    });
  }

  /** The kernel's counters since the capture opened (pcap_stats). */
  kernelStats(): NonNullable<CaptureStats['kernel']> {
    const s = this.session.stats();
    return { received: s.ps_recv, dropped: s.ps_drop, ifDropped: s.ps_ifdrop };
  }

  private stop(): CaptureStats {
    if (this.closed) return { frames: this.frames };
    // drain what the kernel already holds, then read the counters before the handle goes
    this.session.dispatch(this.buf, this.header);
    const kernel = this.kernelStats();
    this.closed = true;
    this.session.close();
    // with breakloop set, this dispatch returns -2 at once and the binding frees the handle and its poll watcher
    this.session.dispatch(this.buf, this.header);
    return { frames: this.frames, kernel };
  }

  private onPacket(): void {
    if (this.closed) return;
    const h = this.header;
    const capLen = h.readUInt32LE(8);
    this.frames++;
    this.handler!(this.buf, capLen > this.buf.length ? this.buf.length : capLen, h.readUInt32LE(12),
      h.readUInt32LE(0) * 1e6 + h.readUInt32LE(4));
  }
}

function liveError(device: string, e: unknown): CaptureError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/No such device|doesn't exist|not found/i.test(msg)) return new CaptureError(`interface ${device}`, 'no such interface');
  if (/permission|Operation not permitted/i.test(msg)) return new CaptureError(`interface ${device}`, `permission denied (run as root or give node CAP_NET_RAW): ${msg}`);
  return new CaptureError(`interface ${device}`, msg);
}
