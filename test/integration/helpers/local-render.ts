import type { EmailJob } from '../../../src/incidents/email-job.js';
import { storedJobId } from '../../../src/queue/keys.js';
import type { RenderedMail } from '../../../src/worker/mail.js';

/** A stand-in for renderEmail while the templates are being written: every value the tests look for, nothing more. */
export function localRender(job: EmailJob): RenderedMail {
  const r = job.remediation;
  const values = [r.netmask, r.broadcast, r.gateway, r.virtualMac, r.block?.cidr, r.block?.netmask, r.block?.broadcast,
    r.block?.firstUsable, r.block?.lastUsable, job.staleServer?.id].filter((v) => v !== undefined);
  const text = [`${job.caseId} on ${job.ip}`, ...values.map((v) => `value: ${v}`), ...job.evidence.samples].join('\n');
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    to: job.customer.email,
    from: 'noc@example.net',
    replyTo: 'noc@example.net',
    subject: `ARP noise from ${job.ip} (${job.caseId})`,
    text,
    html: `<pre>${esc(text)}</pre>`,
    messageId: `<${storedJobId(job.jobId)}@arpwarden.example.net>`,
    headers: { 'X-Arpwarden-Case': job.caseId },
  };
}
