import { jsonLogger } from './json-logger.js';
import { type Logger, textLogger } from './logger.js';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * JSON under systemd (it sets JOURNAL_STREAM for a unit's stdout and stderr), lines for a person
 * otherwise: a terminal, a test, a pipe into less.
 */
export function defaultLogFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  return env.JOURNAL_STREAM !== undefined && env.JOURNAL_STREAM !== '' ? 'json' : 'pretty';
}

export interface ProcessLoggerOptions {
  format?: LogFormat;
  process: 'capture' | 'worker';
  /** the stream a person reads: stderr for capture (stdout carries incidents), stdout for the worker */
  fd: 1 | 2;
}

/** The logger of one arpwarden process, in the format asked for (or the default one). */
export function processLogger(o: ProcessLoggerOptions): Logger {
  const format = o.format ?? defaultLogFormat();
  if (format === 'json') return jsonLogger({ process: o.process, fd: o.fd });
  const out = o.fd === 1 ? process.stdout : process.stderr;
  // the worker has no packet time of its own: its lines carry the clock's
  return o.process === 'worker' ? textLogger(out, 'info', { prefix: null, timestamps: true }) : textLogger(out);
}
