import type { Incident, IncidentChange } from '../../incidents/incident.js';
import type { EmailJob } from '../job.js';
import { emailJobFor } from '../job-for-incident.js';

/**
 * Decides when an incident's email job is built, for the notifier. The job id comes
 * from the opening (customer, IP, case, hour), but the evidence a customer reads should be more
 * than the one frame that crossed the threshold: the job is built at the incident's first update
 * (a minute of packet time on) or when it resolves, whichever comes first, and for incidents still
 * open when the daemon stops, at `flush()`. Noise, incidents with no customer and muted ones never
 * get a job. At most `maxWaiting` incidents wait; past it the job is built at once.
 */
export class EmailJobCollector {
  private readonly waiting = new Map<string, Readonly<Incident>>();

  constructor(private readonly windowSeconds: number, private readonly maxWaiting: number) {}

  /** The job due with this change, if any. Synchronous and cheap: it runs on the capture path. */
  accept(c: IncidentChange): EmailJob | null {
    const inc = c.incident;
    if (c.kind === 'opened') {
      if (!inc.verdict.emailable) return null;
      if (this.waiting.size < this.maxWaiting) {
        this.waiting.set(inc.id, inc);
        return null;
      }
      return emailJobFor(inc, this.windowSeconds);
    }
    if (!this.waiting.delete(inc.id)) return null;
    return emailJobFor(inc, this.windowSeconds);
  }

  /** The jobs of the incidents still waiting, built from what they hold now. */
  flush(): EmailJob[] {
    const jobs: EmailJob[] = [];
    for (const inc of this.waiting.values()) {
      const job = emailJobFor(inc, this.windowSeconds);
      if (job !== null) jobs.push(job);
    }
    this.waiting.clear();
    return jobs;
  }
}
