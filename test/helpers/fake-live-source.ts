import type { CaptureStats, FrameHandler } from '../../src/capture/frame-source.js';
import type { LiveFrameSource } from '../../src/daemon/capture-daemon.js';

/**
 * For the daemon's tests: a live source that hands over its frames when asked, then waits, as a quiet
 * wire does, until stopped (a stop before it ran ends it at once, as LiveSource does).
 */
export class FakeLiveSource implements LiveFrameSource {
  readonly linkType = 1;
  readonly filter = 'arp';
  private handler: FrameHandler | null = null;
  private delivered = 0;
  /** the kernel's drop counter, as pcap_stats would give it */
  dropped = 2;

  /** run() has been called: frames can be delivered */
  get started(): boolean {
    return this.handler !== null;
  }

  async run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    this.handler = onFrame;
    if (signal?.aborted !== true) await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    return { frames: this.delivered, kernel: this.kernelStats() };
  }

  /** Frames arriving now, stamped with their own (packet) time. */
  deliver(frames: { bytes: Uint8Array; tsMicros: number }[]): void {
    for (const f of frames) {
      this.handler!(f.bytes, 0, f.bytes.length, f.bytes.length, f.tsMicros);
      this.delivered++;
    }
  }

  kernelStats(): { received: number; dropped: number; ifDropped: number } {
    return { received: this.delivered, dropped: this.dropped, ifDropped: 0 };
  }
}
