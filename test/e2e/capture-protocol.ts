/** What `capture-child.ts` prints, one JSON object per line, and how it exits. */
import type { CaptureStats } from '../../src/capture/frame-source.js';

/** The decoded fields of one frame (present when the decoder said ARP). */
export interface ChildArp {
  op: number;
  senderIp: string;
  targetIp: string;
  senderMac: string;
  targetMac: string;
  ethSrc: string;
  ethDst: string;
  sllPacketType: number;
  vlanDepth: number;
  outerTpid: number;
  innerTpid: number;
  outerVlan: number;
  innerVlan: number;
  vlan: number;
}

export interface ChildFrame {
  hex: string;
  capLen: number;
  wireLen: number;
  tsMicros: number;
  result: string;
  arp: ChildArp | null;
  /** the frame as our evidence lines print it (formatTcpdump), when it decoded as ARP */
  line: string | null;
}

export type ChildMessage =
  | { type: 'ready'; device: string; linkType: number; filter: string }
  | { type: 'done'; linkType: number; filter: string; frames: ChildFrame[]; stats: CaptureStats }
  | { type: 'error'; name: string; message: string; isCaptureError: boolean };

/** Exit code when the process had to be forced out after `done` (a handle left open). */
export const EXIT_LINGERING = 3;
