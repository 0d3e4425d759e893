import { UserError } from '../common/user-error.js';

/** A capture that cannot start: no such file, not a capture, no such interface, no permission. */
export class CaptureError extends UserError {
  constructor(subject: string, reason: string) {
    super(`${subject}: ${reason}`);
    this.name = 'CaptureError';
  }
}
