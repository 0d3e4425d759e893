/**
 * The logger port: the capture daemon and the worker write through it, never to a stream of
 * their own. The message is whole for a person; the fields repeat its facts for a machine: the
 * JSON logger (pino, json-logger.ts) keeps them, the text logger prints the message only.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface TextLoggerOptions {
  /** before each message, with ": " (null: none) @defaultValue 'arpwarden' */
  prefix?: string | null;
  /** start each line with the ISO time (the worker's lines: it has no packet time of its own) @defaultValue false */
  timestamps?: boolean;
}

/** `arpwarden: message` lines on a stream (stderr): what a person reads on a terminal (`--log-format pretty`). */
export function textLogger(out: { write(s: string): unknown }, min: LogLevel = 'info', o: TextLoggerOptions = {}): Logger {
  const prefix = o.prefix === undefined ? 'arpwarden: ' : o.prefix === null ? '' : `${o.prefix}: `;
  const at = (level: LogLevel) => {
    if (ORDER[level] < ORDER[min]) return (): void => {};
    return (msg: string): void => {
      out.write(`${o.timestamps === true ? `${new Date().toISOString()} ` : ''}${prefix}${msg}\n`);
    };
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that keeps its lines (tests). */
export function memoryLogger(): Logger & { lines: { level: LogLevel; msg: string; fields?: LogFields }[] } {
  const lines: { level: LogLevel; msg: string; fields?: LogFields }[] = [];
  const at = (level: LogLevel) => (msg: string, fields?: LogFields): void => { lines.push({ level, msg, fields }); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
