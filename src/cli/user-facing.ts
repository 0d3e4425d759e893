import { UserError } from '../common/user-error.js';
import { printable } from '../common/printable.js';

/** A daemon's logging, for its last line: with JSON logs it is one JSON log line too (`jq` reads the journal whole). */
export interface DaemonLog {
  process: 'capture' | 'worker';
  /** --log-format; without it, the default (JSON under systemd) */
  logFormat?: 'json' | 'pretty';
}

/** Runs a command; a UserError ends as one line on stderr and exit status 2, anything else is a bug and crashes loudly. */
export async function runCommand(fn: () => Promise<number | void>, daemon?: DaemonLog): Promise<void> {
  try {
    const code = await fn();
    if (typeof code === 'number') process.exitCode = code;
  } catch (e) {
    if (e instanceof UserError) {
      await userErrorLine(e.message, daemon);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

/** The one line of a user error: a JSON log line for a daemon logging JSON, else `arpwarden: message`. */
export async function userErrorLine(message: string, daemon: DaemonLog | undefined): Promise<void> {
  if (daemon !== undefined) {
    // loaded here only: the other commands never load the logger (pino)
    const { defaultLogFormat } = await import('../telemetry/log-format.js');
    if ((daemon.logFormat ?? defaultLogFormat()) === 'json') {
      const { jsonLogger } = await import('../telemetry/json-logger.js');
      // stderr, where the plain line goes: written synchronously, so it is out before the exit
      jsonLogger({ process: daemon.process, fd: 2 }).error(message, { fatal: true });
      return;
    }
  }
  // the message may quote a file, Redis or a relay: one line, no terminal escapes
  process.stderr.write(`arpwarden: ${printable(message)}\n`);
}
