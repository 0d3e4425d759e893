/** The `pcap` package's C++ session used without its JS wrapper: the benchmark's per-frame-callback floor. */
import { createRequire } from 'node:module';
import path from 'node:path';

/** The C++ session object of the `pcap` package, used without its JS wrapper:
 * the wrapper allocates an object and emits an event per packet, we read the
 * shared buffers in place instead. */
export interface NativePcapSession {
  open_live(device: string, filter: string, bufferSize: number, snapLen: number, outFile: string,
    onPacket: () => void, monitor: boolean, timeoutMs: number, warn: (msg: string) => void, promisc: boolean): string;
  open_offline(file: string, filter: string, bufferSize: number, snapLen: number, outFile: string,
    onPacket: () => void, monitor: boolean, timeoutMs: number, warn: (msg: string) => void, promisc: boolean): string;
  /** Reads until libpcap has nothing more (offline: the whole file); returns the last pcap_dispatch result. */
  dispatch(buf: Buffer, header: Buffer): number;
  start_polling(): void;
  /** Sets pcap_breakloop: the current or next dispatch returns -2 and frees the handle. */
  close(): void;
  stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
  read_callback?: () => void;
}

interface PcapBinding {
  PcapSession: new () => NativePcapSession;
  lib_version(): string;
}

const require = createRequire(import.meta.url);
const pcapDir = path.dirname(require.resolve('pcap/package.json'));
const binding = require(path.join(pcapDir, 'build', 'Release', 'pcap_binding.node')) as PcapBinding;

export function newNativeSession(): NativePcapSession {
  return new binding.PcapSession();
}

export const libpcapVersion: string = binding.lib_version();

/** pcap names the link types it knows and says "Unknown linktype N" for the rest (SLL2 among them). */
export function linkTypeNumber(name: string): number {
  switch (name) {
    case 'LINKTYPE_NULL': return 0;
    case 'LINKTYPE_ETHERNET': return 1;
    case 'LINKTYPE_RAW': return 101;
    case 'LINKTYPE_IEEE802_11_RADIO': return 127;
    case 'LINKTYPE_LINUX_SLL': return 113;
  }
  const m = /Unknown linktype (\d+)/.exec(name);
  return m ? Number(m[1]) : -1;
}

/** The 16-byte header the binding fills: tv_sec, tv_usec, caplen, len (host order, little-endian here). */
export const HEADER_BYTES = 16;
export const DEFAULT_SNAPLEN = 65535;
