import { isCustomerCase } from '../classify/cases.js';
import { innerVlanOf } from '../decode/vlan-key.js';
import type { Verdict } from '../classify/verdict.js';
import { isoMicros } from '../common/time.js';
import { ipToString, macToString } from '../decode/addr.js';
import type { Incident } from '../incidents/incident.js';
import { CASE_EMAILS } from './cases/registry.js';
import { type BlockValues, type EmailJob, emailJobId } from './job.js';

/** The job for an incident that warrants a customer email, or null (a NOC-only case such as noise, no customer, muted). */
export function emailJobFor(inc: Readonly<Incident>, windowSeconds: number): EmailJob | null {
  const v = inc.verdict;
  const caseId = inc.caseId;
  if (!v.emailable || v.customer === null || !isCustomerCase(caseId)) return null;
  const ip = ipToString(inc.ip);
  const server = v.server;
  const block = blockValues(v, inc.blockSenders);
  const remediation = { ...CASE_EMAILS[caseId].remediation({ verdict: v, ip, block }), ...(block === null ? {} : { block }) };
  const ev = inc.evidence;
  const firstFrame = inc.frames?.first[0];
  return {
    version: 1,
    jobId: emailJobId(v.customer.id, ip, caseId, inc.openedAt),
    incidentId: inc.id,
    caseId,
    customer: { id: v.customer.id, name: v.customer.name, email: v.customer.email, locale: v.customer.locale },
    ip,
    mac: macToString(inc.mac),
    // the customer's side of a QinQ frame: the outer tag is the provider's transport
    vlan: inc.vlan < 0 ? null : innerVlanOf(inc.vlan),
    server: server ? { id: server.id, ip: ipToString(server.ip), mac: macToString(server.mac), gateway: ipToString(server.gateway) } : null,
    staleServer: v.staleServer ? { id: v.staleServer.id, ip: ipToString(v.staleServer.ip), mac: macToString(v.staleServer.mac) } : null,
    remediation,
    evidence: {
      openedAt: isoMicros(inc.openedAt),
      ...(firstFrame === undefined ? {} : { firstFrameAt: isoMicros(firstFrame.tsMicros) }),
      lastSeen: isoMicros(inc.lastSeen),
      windowSeconds,
      counts: { ...inc.counts },
      samples: [...inc.samples],
      targets: ev.targets.map(ipToString),
      macs: ev.senderMacs.map(macToString),
      vlans: [...new Set(ev.vlans.map((x) => (x < 0 ? null : innerVlanOf(x))))],
      ...(inc.openedByPersistence === undefined ? {} : { persistence: { ...inc.openedByPersistence } }),
    },
  };
}

/** The routed or portable block the IP lies in, as the email states it, or null; `senders`: a portable block's addresses seen as senders. */
function blockValues(v: Readonly<Verdict>, senders: readonly number[] | undefined): BlockValues | null {
  const range = v.portable?.range ?? v.block?.range ?? null;
  if (range === null) return null;
  const usableFrom = v.portable ? v.portable.gateway + 1 : range.network + 1;
  const usableTo = range.broadcast - 1;
  const inUse = v.portable && senders !== undefined ? { inUse: senders.filter((ip) => ip >= usableFrom && ip <= usableTo).map(ipToString) } : {};
  return {
    cidr: v.portable?.cidr ?? v.block!.cidr,
    network: ipToString(range.network),
    broadcast: ipToString(range.broadcast),
    netmask: ipToString(range.mask),
    split: v.block?.split ?? false,
    firstUsable: ipToString(usableFrom),
    lastUsable: ipToString(usableTo),
    ...inUse,
  };
}
