import { createHash } from 'node:crypto';
import type { CaseId } from '../classify/verdict.js';
import { isoMicros } from '../common/time.js';
import { ipToString, macToString } from '../decode/addr.js';
import type { Locale } from '../inventory/model.js';
import type { Incident } from './incident.js';

/**
 * What the capture daemon enqueues for one customer incident, and all the
 * worker needs to write the email: plain JSON (it crosses Redis), the
 * customer's own values already computed, nothing to look up again.
 */
export interface EmailJob {
  version: 1;
  /** one per (customer, IP, case, incident period): the BullMQ job id, so the same incident never mails twice */
  jobId: string;
  incidentId: string;
  caseId: Exclude<CaseId, 'noise'>;
  customer: { id: string; name: string; email: string; locale: Locale };
  ip: string;
  /** the MAC and VLAN the evidence came from */
  mac: string;
  vlan: number | null;
  /** the server the IP is routed to */
  server: { id: string; ip: string; mac: string; gateway: string } | null;
  /** duplicate-ip: the server the IP is still configured on and must be removed from */
  staleServer: { id: string; ip: string; mac: string } | null;
  /** the values the customer must configure, per case (see Remediation) */
  remediation: Remediation;
  evidence: {
    openedAt: string;
    lastSeen: string;
    windowSeconds: number;
    /** events per signal name (off_link_target, unresolved_arp, ...) */
    counts: Record<string, number>;
    /** sample frames as `tcpdump -tttt -nn -e` prints them */
    samples: string[];
  };
}

/** The customer's own values. Which fields are set depends on the case. */
export interface Remediation {
  /** case 1, 1b: netmask 255.255.255.255, broadcast = the IP, no gateway; 1a: the block's own */
  netmask?: string;
  broadcast?: string;
  /** case 2: the host server's real gateway G; case 3: the host's physical IP M; portable block: its gateway */
  gateway?: string;
  /** case 2: the virtual MAC the VM's interface must carry */
  virtualMac?: string;
  /** 1a, 1b, portable block */
  block?: { cidr: string; network: string; broadcast: string; netmask: string; split: boolean; firstUsable: string; lastUsable: string };
}

/** Incidents of the same (customer, IP, case) opened within this period share a job id: two daemons, one email. */
export const JOB_PERIOD_MICROS = 3600e6;

const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

export function emailJobId(customerId: string, ip: string, caseId: string, openedAtMicros: number): string {
  const period = Math.floor(openedAtMicros / JOB_PERIOD_MICROS);
  const h = createHash('sha256').update(`${customerId}|${ip}|${caseId}|${period}`).digest('hex').slice(0, 16);
  return `${caseId}:${ip}:${h}`;
}

/** The job for an incident that warrants a customer email, or null (noise, no customer, muted). */
export function emailJobFor(inc: Readonly<Incident>, windowSeconds: number): EmailJob | null {
  const v = inc.verdict;
  if (!v.emailable || v.customer === null || inc.caseId === 'noise') return null;
  const ip = ipToString(inc.ip);
  const server = v.server;
  const rem: Remediation = {};
  switch (inc.caseId) {
    case 'alias-netmask':
    case 'split-block':
      rem.netmask = '255.255.255.255';
      rem.broadcast = ip;
      break;
    case 'vmac-gateway':
    case 'vmac-missing':
      if (server) rem.gateway = ipToString(server.gateway);
      if (v.failover?.virtualMac != null) rem.virtualMac = macToString(v.failover.virtualMac);
      break;
    case 'vm-nat-gateway':
      if (server) rem.gateway = ipToString(server.ip);
      break;
    case 'portable-block-unusable':
      if (v.portable) rem.gateway = ipToString(v.portable.gateway);
      break;
    case 'block-netmask':
    case 'duplicate-ip':
      break;
  }
  const range = v.portable?.range ?? v.block?.range ?? null;
  if (range !== null) {
    const usableFrom = v.portable ? v.portable.gateway + 1 : range.network + 1;
    rem.block = {
      cidr: v.portable?.cidr ?? v.block!.cidr,
      network: ipToString(range.network),
      broadcast: ipToString(range.broadcast),
      netmask: ipToString(maskOf(range.prefix)),
      split: v.block?.split ?? false,
      firstUsable: ipToString(usableFrom),
      lastUsable: ipToString(range.broadcast - 1),
    };
    if (inc.caseId === 'block-netmask') {
      rem.netmask = rem.block.netmask;
      rem.broadcast = rem.block.broadcast;
    }
  }
  return {
    version: 1,
    jobId: emailJobId(v.customer.id, ip, inc.caseId, inc.openedAt),
    incidentId: inc.id,
    caseId: inc.caseId,
    customer: { id: v.customer.id, name: v.customer.name, email: v.customer.email, locale: v.customer.locale },
    ip,
    mac: macToString(inc.mac),
    vlan: inc.vlan < 0 ? null : inc.vlan,
    server: server ? { id: server.id, ip: ipToString(server.ip), mac: macToString(server.mac), gateway: ipToString(server.gateway) } : null,
    staleServer: v.staleServer ? { id: v.staleServer.id, ip: ipToString(v.staleServer.ip), mac: macToString(v.staleServer.mac) } : null,
    remediation: rem,
    evidence: {
      openedAt: isoMicros(inc.openedAt),
      lastSeen: isoMicros(inc.lastSeen),
      windowSeconds,
      counts: { ...inc.counts },
      samples: [...inc.samples],
    },
  };
}
