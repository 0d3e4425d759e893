import fs from 'node:fs';
import { CaptureError } from './capture-error.js';
import type { CaptureStats, FrameHandler, FrameSource } from './frame-source.js';
import { DEFAULT_SNAPLEN, HEADER_BYTES, linkTypeNumber, newNativeSession, type NativePcapSession } from './pcap-binding.js';

export interface FileSourceOptions {
  /** 'max' or a factor of capture speed (1 = as captured) */
  speed?: 'max' | number;
  /** called now and then with the approximate bytes of the file consumed so far */
  onProgress?: (bytesRead: number) => void;
}

/** Per-record overhead used for progress: pcap's 16-byte record header; pcapng's
 * Enhanced Packet Block is 32 bytes plus padding, so progress there is an estimate. */
const RECORD_OVERHEAD = 16;
const PROGRESS_EVERY = 1 << 14;

/**
 * A pcap or pcapng file read through libpcap (`pcap`'s offline session).
 * libpcap reads nanosecond files too and hands us microseconds.
 */
export class FileSource implements FrameSource {
  readonly linkType: number;
  readonly sizeBytes: number;
  private readonly session: NativePcapSession;
  private readonly buf = Buffer.alloc(DEFAULT_SNAPLEN);
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private handler: FrameHandler | null = null;
  private frames = 0;
  private bytes = 24;
  private aborted = false;
  private ran = false;
  private progress: ((bytesRead: number) => void) | undefined;

  constructor(readonly file: string, private readonly options: FileSourceOptions = {}) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      throw new CaptureError(file, reasonOf(e));
    }
    if (!stat.isFile()) throw new CaptureError(file, 'not a regular file');
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (e) {
      throw new CaptureError(file, reasonOf(e));
    }
    this.sizeBytes = stat.size;
    this.progress = options.onProgress;
    this.session = newNativeSession();
    let linkName: string;
    try {
      linkName = this.session.open_offline(file, '', 0, DEFAULT_SNAPLEN, '', () => this.onPacket(), false, 0, () => {}, false);
    } catch (e) {
      throw new CaptureError(file, `not a pcap or pcapng capture (${errorText(e)})`);
    }
    this.linkType = linkTypeNumber(linkName);
  }

  run(onFrame: FrameHandler, signal?: AbortSignal): Promise<CaptureStats> {
    // the binding frees the libpcap handle at the end of a run: a second dispatch would use a freed handle
    if (this.ran) return Promise.reject(new Error(`FileSource ${this.file}: run() called twice`));
    this.ran = true;
    this.handler = onFrame;
    const onAbort = (): void => { this.aborted = true; };
    signal?.addEventListener('abort', onAbort, { once: true });
    const speed = this.options.speed ?? 'max';
    if (speed !== 'max') this.handler = paced(onFrame, speed, () => this.aborted);
    let last = 0;
    try {
      if (!signal?.aborted) last = this.session.dispatch(this.buf, this.header);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // -2: an abort closed the handle (pcap_breakloop, then the binding's pcap_close). Otherwise close it now
      // the same way, or every FileSource keeps its file open for the life of the process.
      if (last !== -2) {
        this.session.close();
        this.session.dispatch(this.buf, this.header);
      }
    }
    this.progress?.(this.sizeBytes);
    // -1: libpcap stopped on a record it could not read (a capture cut short, or garbage after it)
    return Promise.resolve(last === -1 ? { frames: this.frames, truncated: true } : { frames: this.frames });
  }

  /** For files read faster than a progress bar could be seen. */
  disableProgress(): void {
    this.progress = undefined;
  }

  private onPacket(): void {
    const h = this.header;
    const capLen = h.readUInt32LE(8);
    this.frames++;
    this.handler!(this.buf, capLen > this.buf.length ? this.buf.length : capLen, h.readUInt32LE(12),
      h.readUInt32LE(0) * 1e6 + h.readUInt32LE(4));
    if (this.progress !== undefined) {
      this.bytes += capLen + RECORD_OVERHEAD;
      if ((this.frames & (PROGRESS_EVERY - 1)) === 0) this.progress(Math.min(this.bytes, this.sizeBytes));
    }
    // pcap_breakloop: the binding's dispatch loop returns and frees the handle
    if (this.aborted) this.session.close();
  }
}

/** Holds each frame until its capture time, scaled by `speed`, has come.
 * libpcap reads the file in one synchronous call, so the wait blocks this thread. */
function paced(onFrame: FrameHandler, speed: number, aborted: () => boolean): FrameHandler {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let firstTs = -1;
  let startMs = 0;
  return (frame, capLen, wireLen, tsMicros) => {
    if (firstTs < 0) {
      firstTs = tsMicros;
      startMs = performance.now();
    }
    const dueMs = startMs + (tsMicros - firstTs) / 1000 / speed;
    const waitMs = dueMs - performance.now();
    if (waitMs > 1 && !aborted()) Atomics.wait(sleeper, 0, 0, waitMs);
    onFrame(frame, capLen, wireLen, tsMicros);
  };
}

function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return errorText(e);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
