/**
 * A failure that no retry can mend: the relay refused the message or the recipient for good (an SMTP
 * 5xx), or the job's data cannot be rendered. The worker fails the job at once instead of retrying;
 * it stays in the failed set (`arpwarden queue retry ID` once the cause is fixed).
 */
export class PermanentEmailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentEmailError';
  }
}
