/**
 * Our own Redis keys beside BullMQ's, all under `arpwarden:{QUEUE}:` (the braces are a Redis
 * Cluster hash tag: every key of one queue lives in one slot, so one script can touch several).
 */
export class QueueKeys {
  private readonly base: string;

  constructor(queueName: string) {
    this.base = `arpwarden:{${queueName}}:`;
  }

  /** value: the job id of the email that started the cooldown; expires with it */
  cooldown(customerId: string, ip: string, caseId: string): string {
    return `${this.base}cooldown:${customerId}|${ip}|${caseId}`;
  }

  muteCustomer(customerId: string): string {
    return `${this.base}mute:customer:${customerId}`;
  }

  muteIp(ip: string): string {
    return `${this.base}mute:ip:${ip}`;
  }

  /** set by a worker once the relay accepted the email: the job is never sent again */
  sent(jobId: string): string {
    return `${this.base}sent:${jobId}`;
  }

  /**
   * a worker's claim on sending the job (value: its attempt's token), with an expiry longer than the SMTP
   * timeout and held while the send runs: no other worker sends while this one may be
   */
  sending(jobId: string): string {
    return `${this.base}sending:${jobId}`;
  }

  /**
   * the record of a send begun (its token, when), kept `keep_days`: removed with the "sent" marker or once the
   * relay's answer says nothing went out. Still there with no live claim and no marker: the email may be sent.
   */
  attempt(jobId: string): string {
    return `${this.base}attempt:${jobId}`;
  }

  /** set by a worker that found the job's customer or IP muted and delayed it to the mute's end (value: why, since when) */
  deferred(jobId: string): string {
    return `${this.base}deferred:${jobId}`;
  }

  /** set by the capture side when a customer incident resolves (a deferred job whose incident is over is not sent) */
  resolved(incidentId: string): string {
    return `${this.base}resolved:${incidentId}`;
  }

  /** one hash of what the workers did, by outcome (src/email/queue/totals.ts): HINCRBY'd, never trimmed */
  totals(): string {
    return `${this.base}totals`;
  }

  /** set (kept `keep_days`) when a job's outcome other than sent is counted in the totals: a job run again is not counted twice */
  counted(outcome: string, jobId: string): string {
    return `${this.base}counted:${outcome}:${jobId}`;
  }

  /** the pattern matching every cooldown key (for `arpwarden cooldown list|clear`) */
  cooldownPattern(): string {
    return `${this.base}cooldown:*`;
  }

  /** The (customer, IP, case) of a cooldown key, read from the right: IPs and case ids hold no `|`, a customer id may. */
  cooldownTarget(key: string): { customerId: string; ip: string; caseId: string } | null {
    const rest = key.slice(`${this.base}cooldown:`.length);
    const c = rest.lastIndexOf('|');
    const i = c < 0 ? -1 : rest.lastIndexOf('|', c - 1);
    if (!key.startsWith(`${this.base}cooldown:`) || i < 0) return null;
    return { customerId: rest.slice(0, i), ip: rest.slice(i + 1, c), caseId: rest.slice(c + 1) };
  }

  /** the pattern matching every mute key (for `arpwarden mute --list`) */
  mutePattern(): string {
    return `${this.base}mute:*`;
  }

  /** `customer:c-77` or `ip:198.51.100.7` from a mute key */
  muteTarget(key: string): string {
    return key.slice(`${this.base}mute:`.length);
  }

  /** one capture daemon's state across restarts (src/state/redis-state.ts): its instance name and span port */
  state(instance: string, iface: string): string {
    return `${this.base}state:${instance}:${iface}`;
  }
}
