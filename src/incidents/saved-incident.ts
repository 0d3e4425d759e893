import { ArpPacket } from '../decode/arp-packet.js';
import { DECODE_RESULT_NAMES, DecodeResult } from '../decode/decode-result.js';
import { decodeFrame } from '../decode/decode-frame.js';
import { encodeFrame } from '../decode/encode-frame.js';
import { type CaseId, nobodysVerdict } from '../classify/verdict.js';
import { EvidenceFrames } from './evidence-frames.js';
import { framedIncident } from './framed-incident.js';
import { FloodTally } from './flood.js';
import type { Incident, IncidentEvidence } from './incident.js';
import { type PersistenceJson, persistenceJson } from './incident-json.js';

/** One evidence frame as a restart keeps it: the bytes encodeFrame rebuilds, and what decodeFrame needs to read them back. */
export interface SavedFrame {
  ts: number;
  wire_len: number;
  link_type: number;
  /** base64 */
  bytes: string;
}

/**
 * An open incident as the state file (or Redis) keeps it across a restart: everything the book holds
 * but the verdict, which comes again from the inventory of the new run (it may have been edited).
 */
export interface SavedIncident {
  id: string;
  case: CaseId;
  ip: number;
  mac: number;
  vlan: number;
  /** duplicate-ip: the MAC of the server the IP is still configured on (to find it again); 0 otherwise */
  other_mac: number;
  opened_at: number;
  last_seen: number;
  counts: Record<string, number>;
  samples: string[];
  evidence: IncidentEvidence;
  frames: { first: SavedFrame[]; last: SavedFrame[] };
  folded: string[];
  flood: { first_seen: number; senders: [number, number][]; untallied_events: number; at_least: boolean } | null;
  /** absent in states written before it, and when the window's threshold opened it */
  opened_by_persistence?: PersistenceJson;
  /** a portable block's incident: its block's addresses seen as senders (Incident.blockSenders); absent otherwise */
  block_senders?: number[];
  /** the packet time of its last evidence by persistence alone (IncidentBook.persistentEvidenceAt); absent without */
  persistent_at?: number;
}

/** `persistentAt`: IncidentBook.persistentEvidenceAt(inc), which keeps a slow incident open past the quiet period. */
export function saveIncident(inc: Readonly<Incident>, persistentAt?: number): SavedIncident {
  const tally = inc.flood instanceof FloodTally ? inc.flood.saved() : null;
  return {
    id: inc.id, case: inc.caseId, ip: inc.ip, mac: inc.mac, vlan: inc.vlan,
    other_mac: inc.verdict.staleServer?.mac ?? 0,
    opened_at: inc.openedAt, last_seen: inc.lastSeen,
    counts: { ...inc.counts }, samples: [...inc.samples],
    evidence: { targets: [...inc.evidence.targets], senderMacs: [...inc.evidence.senderMacs], vlans: [...inc.evidence.vlans] },
    frames: { first: (inc.frames?.first ?? []).map(saveFrame), last: (inc.frames?.last() ?? []).map(saveFrame) },
    folded: [...inc.folded],
    flood: inc.flood === null ? null
      : { first_seen: inc.flood.firstSeen, senders: tally?.senders ?? [], untallied_events: tally?.untalliedEvents ?? 0, at_least: tally?.atLeast ?? inc.flood.atLeast },
    ...(inc.openedByPersistence === undefined ? {} : { opened_by_persistence: persistenceJson(inc.openedByPersistence) }),
    // the detector's senders are gone after a restart: without these, the email would suggest an address a VM uses
    ...(inc.blockSenders === undefined ? {} : { block_senders: [...inc.blockSenders] }),
    ...(persistentAt === undefined ? {} : { persistent_at: persistentAt }),
  };
}

/** A saved incident open again, with what the book keeps of it beside the incident. */
export interface RestoredIncident { incident: Incident; tally: FloodTally | null; otherMac: number; persistentAt?: number }

/** The incident a saved one was, open again; its verdict is a placeholder until the book asks the inventory (`reverdict`). */
export function restoreIncident(s: Readonly<SavedIncident>, samples: number): RestoredIncident {
  const frames = new EvidenceFrames(samples);
  for (const f of s.frames.first) frames.sample(loadFrame(f));
  for (const f of s.frames.last) frames.later(loadFrame(f));
  // the lines as saved (a state written before frames were kept has lines and no frames)
  frames.setLines(s.samples);
  const tally = s.flood === null ? null
    : FloodTally.restored(s.flood.first_seen, { senders: s.flood.senders, untalliedEvents: s.flood.untallied_events, atLeast: s.flood.at_least });
  const incident: Incident = framedIncident({
    id: s.id, caseId: s.case, ip: s.ip, mac: s.mac, vlan: s.vlan, verdict: nobodysVerdict(s.case, s.ip),
    openedAt: s.opened_at, lastSeen: s.last_seen, resolvedAt: null,
    counts: { ...s.counts },
    evidence: { targets: [...s.evidence.targets], senderMacs: [...s.evidence.senderMacs], vlans: [...s.evidence.vlans] },
    frames, folded: [...s.folded], foldedInto: null, flood: tally,
    ...(s.opened_by_persistence === undefined ? {} : {
      openedByPersistence: { periods: s.opened_by_persistence.periods, periodSeconds: s.opened_by_persistence.period_seconds, horizonSeconds: s.opened_by_persistence.horizon_seconds },
    }),
    ...(s.block_senders === undefined ? {} : { blockSenders: [...s.block_senders] }),
  });
  return { incident, tally, otherMac: s.other_mac, persistentAt: s.persistent_at };
}

function saveFrame(p: Readonly<ArpPacket>): SavedFrame {
  return { ts: p.tsMicros, wire_len: p.wireLen, link_type: p.linkType, bytes: Buffer.from(encodeFrame(p)).toString('base64') };
}

function loadFrame(f: Readonly<SavedFrame>): ArpPacket {
  const bytes = new Uint8Array(Buffer.from(f.bytes, 'base64'));
  const p = new ArpPacket();
  const r = decodeFrame(bytes, bytes.length, Math.max(f.wire_len, bytes.length), f.link_type, f.ts, p);
  // a frame we encoded ourselves decodes; one that does not was edited by hand: it is refused with the file
  if (r !== DecodeResult.ARP) throw new Error(`an evidence frame does not decode (${DECODE_RESULT_NAMES[r]})`);
  return p;
}
