import { UserError } from '../common/user-error.js';
import { printable } from '../common/printable.js';

/** Runs a command; a UserError ends as one line on stderr and exit status 2, anything else is a bug and crashes loudly. */
export async function runCommand(fn: () => Promise<number | void>): Promise<void> {
  try {
    const code = await fn();
    if (typeof code === 'number') process.exitCode = code;
  } catch (e) {
    if (e instanceof UserError) {
      // the message may quote a file, Redis or a relay: one line, no terminal escapes
      process.stderr.write(`arpwarden: ${printable(e.message)}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}
