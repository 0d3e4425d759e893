import { LiveSource } from '../capture/live-source.js';
import { runPipeline } from '../pipeline/pipeline.js';
import { replayJson, summaryText } from './summary-output.js';

export interface CaptureOptions {
  interface: string;
  filter?: string;
  promiscuous: boolean;
  bufferMib: number;
  format: 'text' | 'json';
  /** stop after this many seconds (0: until SIGINT/SIGTERM) */
  seconds: number;
}

/** Captures on one interface (one process per span port) until a signal, then prints what it saw. */
export async function captureCommand(opts: CaptureOptions): Promise<number> {
  const source = new LiveSource(opts.interface, {
    filter: opts.filter,
    promiscuous: opts.promiscuous,
    bufferBytes: Math.round(opts.bufferMib * 1048576),
  });
  process.stderr.write(`arpwarden: capturing on ${opts.interface} (${source.filter}), Ctrl-C to stop\n`);
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = opts.seconds > 0 ? setTimeout(stop, opts.seconds * 1000) : null;
  const run = await runPipeline(source, undefined, ac.signal);
  if (timer) clearTimeout(timer);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (opts.format === 'json') process.stdout.write(JSON.stringify({ ...replayJson(opts.interface, run), kernel: run.capture.kernel }, null, 2) + '\n');
  else process.stdout.write(summaryText(`capture ${opts.interface}`, run));
  return 0;
}
