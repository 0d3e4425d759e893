import type { Config } from '../config/schema.js';
import type { Incident } from '../incidents/incident.js';
import type { EmailJob, GroupedIp } from './job.js';

/**
 * One email per block: which incidents may share an email, and the email job of several. Incidents
 * group when they have one customer, one case and one block (the portable or routed block the IP
 * lies in) or, outside a block, one server; an IP with neither stands alone. A block's reserved addresses
 * group apart from its members, and its gateway apart from its network and broadcast: their fixes differ.
 */
export function groupKeyOf(inc: Readonly<Incident>): string {
  const v = inc.verdict;
  const cidr = v.portable?.cidr ?? v.block?.cidr;
  const reserved = reservedRole(inc);
  const where = cidr !== undefined ? `block ${cidr}${reserved === null ? '' : ` ${reserved}`}` : v.server !== null && v.server !== undefined ? `server ${v.server.id}` : `ip ${inc.ip}`;
  return `${v.customer?.id ?? ''}|${inc.caseId}|${where}`;
}

/**
 * Which reserved address of its block the IP is, if any: an unsplit routed block's network or broadcast, a
 * portable block's network, gateway (the router's) or broadcast. Its email says to give it up (`edge`), or that
 * the router holds it (`gateway`), not to make the members' change: "the same change for each of the others"
 * holds only among IPs of one kind.
 */
function reservedRole(inc: Readonly<Incident>): 'edge' | 'gateway' | null {
  const { portable: p, block: b } = inc.verdict;
  if (p !== null) return inc.ip === p.gateway ? 'gateway' : inc.ip === p.range.network || inc.ip === p.range.broadcast ? 'edge' : null;
  return b !== null && !b.split && (inc.ip === b.range.network || inc.ip === b.range.broadcast) ? 'edge' : null;
}

const member = (j: EmailJob): GroupedIp => ({ incidentId: j.incidentId, ip: j.ip, mac: j.mac, vlan: j.vlan, remediation: j.remediation, evidence: j.evidence });

/** The email of several jobs (in opening order): the first one's, with its id, listing the others' IPs and evidence. */
export function groupedJob(jobs: readonly EmailJob[]): EmailJob {
  const [first, ...others] = jobs;
  return others.length === 0 ? first : { ...first, group: others.map(member) };
}

/**
 * The job narrowed to the IPs the policy let through (`keep`, one per IP, the job's own first): the
 * first kept becomes the one the email is written for; the job id stays (a retry is the same email).
 */
export function narrowJob(job: EmailJob, keep: readonly boolean[]): EmailJob {
  const all: GroupedIp[] = [member(job), ...(job.group ?? [])];
  const kept = all.filter((_, i) => keep[i]);
  if (kept.length === all.length) return job;
  const [lead, ...rest] = kept;
  const { group: _, ...base } = job;
  return { ...base, ...lead, ...(rest.length === 0 ? {} : { group: rest }) };
}

/** email.group_seconds, at most the quiet period: then the first incident's end always closes its group (nothing waits for unrelated traffic), µs. */
export const groupMicros = (config: Config): number => Math.min(config.email.group_seconds, config.detector.quiet_period_seconds) * 1e6;
