/** Called once per captured frame: `capLen` bytes of `frame` from `offset`.
 * The buffer is reused for the next batch: read what you need before
 * returning, keep nothing. `wireLen` is the frame's length on the wire. */
export type FrameHandler = (frame: Uint8Array, offset: number, capLen: number, wireLen: number, tsMicros: number) => void;

export interface CaptureStats {
  /** frames handed to the pipeline */
  frames: number;
  /** a file whose last record could not be read (cut short); the frames before it were delivered */
  truncated?: boolean;
  /** kernel counters (live only; pcap_stats): received, dropped for lack of buffer, dropped by the interface */
  kernel?: { received: number; dropped: number; ifDropped: number };
}

export interface FrameSource {
  /** LINKTYPE_* number of the frames (1 Ethernet, 113 Linux SLL, 276 Linux SLL2) */
  readonly linkType: number;
  /** Delivers frames until the file ends or `signal` aborts. */
  run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats>;
}
