import type { Verdict } from '../../classify/verdict.js';
import type { BlockValues, CustomerCaseId, Remediation } from '../job.js';
import type { CaseTemplate } from '../templates/context.js';

/** What a case's remediation is computed from: the verdict, the IP, and the block it lies in (if any) as the email states it. */
export interface RemediationInput {
  verdict: Readonly<Verdict>;
  ip: string;
  block: BlockValues | null;
}

/** Everything the email path knows of one customer case: the values the customer must set, and the email that says so (T: the type of its text in each locale). */
export interface CaseEmail<T = never> {
  /** the case's own values; emailJobFor adds the block, when the IP lies in one, for every case */
  remediation(x: RemediationInput): Omit<Remediation, 'block'>;
  template: CaseTemplate<T>;
}

/** One entry per customer case: a case id without its email is a compile error. (never: any text type fits.) */
export type CaseEmails = { readonly [K in CustomerCaseId]: CaseEmail<never> };
