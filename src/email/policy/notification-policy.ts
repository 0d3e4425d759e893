import type { MuteConfig } from '../../config/schema.js';
import type { EmailJob } from '../job.js';

/** What the policy says of a job: it may go, its customer or IP is muted, or its cooldown is taken by an earlier email. */
export type Admission = 'go' | 'muted' | 'cooldown';

/**
 * Whether a customer is warned: maintenance mutes (a customer or an IP gets no email) and the
 * cooldown (one email per customer, IP and case within `queue.cooldown_hours`). One interface,
 * two stores: in memory on packet time (the outbox, embedded mode) and in Redis (the queue).
 */
export interface NotificationPolicy {
  /**
   * Decides whether the job's email may go, and if so takes its cooldown. Asking again with the
   * same job always gives 'go' again (a retry, a second daemon on the same incident: the job id
   * keeps it one email). Throws when the store cannot be reached; asking again later is safe.
   */
  admit(job: EmailJob): Promise<Admission>;
  /**
   * The same for an email of several IPs (one per block): each IP's mute and cooldown decided on its
   * own, in one step; the email goes ('go') for the IPs let through, the job narrowed to them, their
   * cooldowns taken under the job's one id. None let through: 'muted' if one was muted, else 'cooldown'.
   */
  admitEmail(job: EmailJob): Promise<{ admission: Admission; job: EmailJob }>;
  /** Why the job's customer or IP is muted now, or null (the worker asks again before it sends). */
  mutedReason(job: Pick<EmailJob, 'customer' | 'ip'>): Promise<string | null>;
  /** A store in memory: what a restart must keep (the cooldowns taken), and taking it back. A store in Redis keeps itself. */
  saved?(): unknown;
  restore?(saved: unknown): void;
}

/** The mutes of the `mute:` configuration, which every store honours. */
export function mutedByConfig(config: MuteConfig, job: Pick<EmailJob, 'customer' | 'ip'>): string | null {
  if (config.customers.includes(job.customer.id)) return `customer ${job.customer.id} muted in the configuration`;
  if (config.ips.includes(job.ip)) return `ip ${job.ip} muted in the configuration`;
  return null;
}

/** The key of a job's cooldown: one per customer, IP and case. */
export const cooldownKey = (job: Pick<EmailJob, 'customer' | 'ip' | 'caseId'>): string => `${job.customer.id}|${job.ip}|${job.caseId}`;

/** The whole email's admission from each of its IPs': it goes if one goes. */
export function overall(each: readonly Admission[]): Admission {
  if (each.includes('go')) return 'go';
  return each.includes('muted') ? 'muted' : 'cooldown';
}
