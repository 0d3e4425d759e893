import fs from 'node:fs';
import tty from 'node:tty';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { fileErrorReason } from '../common/read-user-file.js';
import { isPacketTime } from '../common/time.js';
import { checkFilterText, setFilterOrClose } from './bpf.js';
import { CaptureError } from './capture-error.js';
import { refuseUndecodedLinkType } from './decoded-link-types.js';
import { type CaptureStats, type FrameHandler, type FrameSource, META_FIELDS, type StopFlag } from './frame-source.js';
import { END_OF_FILE, FrameBatch, type PcapHandle, pcap, READ_ERROR } from './native-capture.js';

export interface FileSourceOptions {
  /** 'max' or a factor of capture speed (1 = as captured) */
  speed?: 'max' | number;
  /** a BPF expression, as tcpdump -r FILE EXPRESSION takes it: only the frames it matches are read (and counted) */
  filter?: string;
  /** called after each batch with the approximate bytes of the file consumed so far */
  onProgress?: (bytesRead: number) => void;
}

/** The file name that means standard input, as in tcpdump -r -. */
export const STDIN = '-';

/** Per-record overhead used for progress: pcap's 16-byte record header (pcapng's blocks are larger: an estimate there). */
const RECORD_OVERHEAD = 16;
/** The longest delay a Node timer takes (a longer one fires after 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Batches read before letting the event loop run (timers, sinks, signals). */
const BATCHES_PER_TURN = 16;

/**
 * A pcap or pcapng file (any timestamp resolution: libpcap hands us
 * microseconds; pcap's seconds unsigned, to 2106) read through libpcap in batches by our addon, so the event
 * loop keeps turning between batches and a replay can be paced or aborted.
 */
export class FileSource implements FrameSource {
  readonly linkType: number;
  readonly sizeBytes: number;
  private readonly handle: PcapHandle;
  private readonly batch: FrameBatch;
  private ran = false;
  /** Why the last run stopped before the end of the file (libpcap's words: a cut record, a pcapng interface of another link type), or null. */
  readError: string | null = null;
  private progress: ((bytesRead: number) => void) | undefined;

  /** `file` may be `-`, standard input (as tcpdump -r - reads it), or a pipe (`<(ssh router tcpdump -w - ...)`): read once, front to back, with no size. */
  constructor(readonly file: string, private readonly options: FileSourceOptions = {}) {
    if (options.filter !== undefined) checkFilterText(options.filter);
    const stdin = file === STDIN;
    let stat: fs.Stats;
    try {
      stat = stdin ? fs.fstatSync(0) : fs.statSync(file);
    } catch (e) {
      throw new CaptureError(file, fileErrorReason(e));
    }
    if (stdin && tty.isatty(0)) throw new CaptureError(file, 'standard input is a terminal, not a capture (pipe one in: ... | arpwarden replay -)');
    // a socket too: what ssh or Node's child_process hand a program as its stdin
    if (!stat.isFile() && !stat.isFIFO() && !(stdin && stat.isSocket())) throw new CaptureError(file, 'not a regular file or a pipe');
    try {
      if (!stdin) fs.accessSync(file, fs.constants.R_OK);
    } catch (e) {
      throw new CaptureError(file, fileErrorReason(e));
    }
    // a pipe has no size to measure progress against
    this.sizeBytes = stat.isFile() ? stat.size : 0;
    this.progress = stat.isFile() ? options.onProgress : undefined;
    let opened;
    try {
      opened = pcap.openOffline(file);
    } catch (e) {
      throw new CaptureError(file, `not a pcap or pcapng capture (${e instanceof Error ? e.message : String(e)})`);
    }
    refuseUndecodedLinkType(file, opened);
    if (options.filter !== undefined) setFilterOrClose(opened.handle, options.filter);
    this.handle = opened.handle;
    this.linkType = opened.linkType;
    this.batch = new FrameBatch(opened.snapLen);
  }

  async run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    if (this.ran) throw new Error(`FileSource ${this.file}: run() called twice`);
    this.ran = true;
    const speed = this.options.speed ?? 'max';
    const { data, meta } = this.batch;
    let frames = 0;
    let bytes = 24;
    let truncated = false;
    let firstTs = -1;
    let startMs = 0;
    // a flag the frame loop can test cheaply (AbortSignal.aborted is a getter)
    const stop: StopFlag = { aborted: signal?.aborted ?? false };
    const onAbort = (): void => { stop.aborted = true; };
    // at full speed, whole batches to a handler that takes them (no per-frame call carries the packet time)
    const batch = speed === 'max' ? onFrame.batch : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let turn = 1; !stop.aborted; turn++) {
        const n = pcap.readBatch(this.handle, data, meta);
        if (n === END_OF_FILE) break;
        if (n === READ_ERROR) {
          truncated = true;
          // read before close: the reason lives in the handle
          this.readError = pcap.error(this.handle) || 'read error';
          break;
        }
        if (batch !== undefined) {
          const handled = batch(data, meta, 0, n, stop);
          frames += handled;
          for (let i = 0; i < handled; i++) bytes += meta[i * META_FIELDS + 1] + RECORD_OVERHEAD;
        }
        for (let i = 0; batch === undefined && i < n && !stop.aborted; i++) {
          const m = i * META_FIELDS;
          const ts = meta[m + 3];
          // a frame without a valid time (decode counts it) neither starts nor paces the replay
          if (speed !== 'max' && isPacketTime(ts)) {
            if (firstTs < 0) { firstTs = ts; startMs = performance.now(); }
            // timers round fractional delays down; an abort ends the wait at once (a realtime replay may wait minutes);
            // a gap longer than a timer holds (2^31 ms) is waited in pieces
            for (let waitMs = startMs + (ts - firstTs) / 1000 / speed - performance.now(); waitMs > 1 && !stop.aborted;
              waitMs = startMs + (ts - firstTs) / 1000 / speed - performance.now()) {
              await sleep(Math.min(Math.ceil(waitMs), MAX_TIMER_MS), undefined, { signal }).catch(() => {});
            }
            if (stop.aborted) break;
          }
          onFrame(data, meta[m], meta[m + 1], meta[m + 2], ts);
          frames++;
          bytes += meta[m + 1] + RECORD_OVERHEAD;
        }
        this.progress?.(Math.min(bytes, this.sizeBytes));
        if (turn % BATCHES_PER_TURN === 0) await yieldToLoop();
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      pcap.close(this.handle);
    }
    if (!truncated && !signal?.aborted) this.progress?.(this.sizeBytes);
    return truncated ? { frames, truncated: true } : { frames };
  }

  /** For files read faster than a progress bar could be seen. */
  disableProgress(): void {
    this.progress = undefined;
  }
}
