import { MAYBE_SENT } from '../email/queue/maybe-sent.js';
import { PermanentEmailError } from './permanent-email-error.js';

/**
 * A send whose outcome is unknown after the data may have gone out (the relay's final reply never came, the
 * connection was lost, a worker died holding the claim). Not retried: a relay that queues before it replies may
 * have it, and a retry would be a second copy. The job fails with this reason and waits for `queue resend ID`.
 */
export class MaybeSentError extends PermanentEmailError {
  constructor(why: string, options?: { cause?: unknown }) {
    super(`${MAYBE_SENT}: ${why}; not sent again (arpwarden queue resend ID, once the customer is known not to have it)`, options);
    this.name = 'MaybeSentError';
  }
}
