import { hostname } from 'node:os';
import { pino, stdTimeFunctions } from 'pino';
import type { LogFields, Logger, LogLevel } from './logger.js';

export interface JsonLoggerOptions {
  /** which process writes: `capture` or `worker` (one field, so one journal holds both) */
  process: string;
  /** a file descriptor @defaultValue 2 (stderr) */
  fd?: number;
  level?: LogLevel;
}

/**
 * One JSON object per line, through pino: `{"level":"warn","time":"…","process":"capture","pid":…,
 * "host":"…","msg":"…", …fields}`. Written synchronously: a line logged just before exit (a user
 * error, a crash) is on disk when the process ends.
 */
export function jsonLogger(o: JsonLoggerOptions): Logger {
  const p = pino(
    {
      level: o.level ?? 'info',
      base: { process: o.process, pid: process.pid, host: hostname() },
      timestamp: stdTimeFunctions.isoTime,
      // the level's name, not pino's number: `jq 'select(.level=="warn")'`
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: o.fd ?? 2, sync: true }),
  );
  const at = (level: LogLevel) => (msg: string, fields?: LogFields): void => {
    if (fields === undefined) p[level](msg);
    else p[level](fields, msg);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
