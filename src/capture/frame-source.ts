/** Called once per captured frame: `capLen` bytes of `frame` from `offset`.
 * The buffer is reused for the next batch: read what you need before
 * returning, keep nothing. `wireLen` is the frame's length on the wire.
 * A handler may also take whole batches (`batch`): a source that reads
 * batches then hands each over in one call. */
export type FrameHandler = ((frame: Uint8Array, offset: number, capLen: number, wireLen: number, tsMicros: number) => void) & { readonly batch?: BatchHandler };

/** Numbers per frame in a batch's `meta`: offset, capLen, wireLen, packet time (µs). */
export const META_FIELDS = 4;

/** Set when a source is to stop: a batch handler tests it between frames. */
export interface StopFlag { aborted: boolean }

/**
 * Frames `from` to `to` (exclusive) of a batch (`meta`: META_FIELDS numbers a frame, as the addon fills it),
 * until `stop.aborted`; returns how many were handled. One call per batch, the packet time read from `meta`
 * in place: a per-frame call passes it as a double, which V8 boxes (an allocation per frame) when it does not inline the call.
 */
export type BatchHandler = (data: Uint8Array, meta: Float64Array, from: number, to: number, stop: Readonly<StopFlag>) => number;

/**
 * Told when packet time reaches `nextDueMicros`, before the frame that reaches it is handled (a replay's metrics
 * snapshot then holds exactly the frames before that time). The frame loop compares each frame's time with it.
 */
export interface PacketTimeObserver {
  readonly nextDueMicros: number;
  observe(tMicros: number): void;
}

export interface CaptureStats {
  /** frames handed to the pipeline */
  frames: number;
  /** a file whose last record could not be read (cut short); the frames before it were delivered */
  truncated?: boolean;
  /** a live capture that ended because its handle failed (the interface disappeared): libpcap's reason */
  readError?: string;
  /** kernel counters (live only; pcap_stats): received, dropped for lack of buffer, dropped by the interface */
  kernel?: { received: number; dropped: number; ifDropped: number };
}

export interface FrameSource {
  /** LINKTYPE_* number of the frames (1 Ethernet, 113 Linux SLL, 276 Linux SLL2) */
  readonly linkType: number;
  /** Delivers frames until the file ends or `signal` aborts. */
  run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats>;
}
