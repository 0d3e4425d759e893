import { LiveSource } from '../capture/live-source.js';
import { loadConfig } from '../config/load.js';
import { loadInventory } from '../inventory/load.js';
import { DetectionPipeline } from '../pipeline/detection.js';
import { runPipeline } from '../pipeline/pipeline.js';
import { StreamSink } from '../sinks/stream-sink.js';
import { UserError } from '../common/user-error.js';
import { incidentJson, incidentsText } from './incidents-output.js';
import { replayJson, summaryText } from './summary-output.js';

export interface CaptureOptions {
  interface: string;
  filter?: string;
  promiscuous: boolean;
  bufferMib: number;
  format: 'text' | 'json';
  /** stop after this many seconds (0: until SIGINT/SIGTERM) */
  seconds: number;
  inventory?: string;
  config?: string;
  /** also write the warning emails into this directory */
  outbox?: string;
}

/** How often packet time is moved to the capture clock when the wire is silent, ms. */
const HEARTBEAT_MS = 1000;
/** The heartbeat stays this far behind the clock, so frames still in the kernel ring keep their own time. */
const HEARTBEAT_LAG_MICROS = 2e6;
/** Only a wire silent this many heartbeats moves time by the clock: while frames flow, time is theirs alone, as in a replay of the capture. */
const SILENT_HEARTBEATS = 10;

/** Captures on one interface (one process per span port) until a signal, then prints what it saw. */
export async function captureCommand(opts: CaptureOptions): Promise<number> {
  const config = loadConfig(opts.config);
  const inventory = opts.inventory === undefined ? null : loadInventory(opts.inventory);
  if (opts.outbox !== undefined && inventory === null) throw new UserError('--outbox needs --inventory: the emails come from the incidents');
  // with queue.redis_url the daemon queues the warning emails; Redis may come later: the jobs are held meanwhile
  const emails = inventory === null || (opts.outbox === undefined && config.queue.redis_url === undefined) ? null
    : await (await import('../email/create-notifier.js')).createNotifier(config, { outbox: opts.outbox, enqueue: config.queue.redis_url !== undefined, redisNow: false, configFile: opts.config,
      log: (line) => process.stderr.write(`arpwarden: ${line}\n`) });
  const detection = inventory === null ? null
    : new DetectionPipeline(inventory, config.detector, [new StreamSink(process.stdout, opts.format), ...(emails?.sinks ?? [])]);
  let source: LiveSource;
  try {
    source = new LiveSource(opts.interface, {
      filter: opts.filter,
      promiscuous: opts.promiscuous,
      bufferBytes: Math.round(opts.bufferMib * 1048576),
    });
  } catch (e) {
    await emails?.close();
    throw e;
  }
  process.stderr.write(`arpwarden: capturing on ${opts.interface} (${source.filter}), Ctrl-C to stop\n`);
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const timer = opts.seconds > 0 ? setTimeout(stop, opts.seconds * 1000) : null;
  // a silent wire still lets time pass: the kernel would stamp a frame arriving now with this clock
  const reload = (): void => {
    if (detection === null || opts.inventory === undefined) return;
    try {
      detection.setInventory(loadInventory(opts.inventory));
      process.stderr.write(`arpwarden: reloaded ${opts.inventory}\n`);
    } catch (e) {
      // a bad inventory never replaces a good one
      process.stderr.write(`arpwarden: kept the last good inventory: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  };
  process.on('SIGHUP', reload);
  let seen = -1;
  let silent = 0;
  const heartbeat = detection === null ? null : setInterval(() => {
    silent = detection.frames === seen ? silent + 1 : 0;
    seen = detection.frames;
    if (silent >= SILENT_HEARTBEATS) detection.advanceTo(Date.now() * 1000 - HEARTBEAT_LAG_MICROS);
  }, HEARTBEAT_MS);
  let run: Awaited<ReturnType<typeof runPipeline>>;
  try {
    run = await runPipeline(source, detection?.onArp, ac.signal);
  } catch (e) {
    // a queue sink's connection would keep the process alive
    await emails?.close();
    throw e;
  }
  if (timer) clearTimeout(timer);
  if (heartbeat) clearInterval(heartbeat);
  // as replay does at the end of a file: time settles at the last frame
  if (detection && run.summary.lastTs >= 0) detection.advanceTo(run.summary.lastTs);
  process.off('SIGHUP', reload);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await emails?.close();
  for (const line of emails?.report() ?? []) process.stderr.write(`arpwarden: ${line}\n`);
  if (opts.format === 'json') {
    const doc = { event: 'summary', ...replayJson(opts.interface, run), kernel: run.capture.kernel,
      ...(detection ? { incidents: detection.book.all.map(incidentJson) } : {}), ...(emails ? { emails: emails.json() } : {}) };
    process.stdout.write(JSON.stringify(doc) + '\n');
  } else {
    process.stdout.write(summaryText(`capture ${opts.interface}`, run));
    if (detection) process.stdout.write(incidentsText(detection.book.all));
  }
  return 0;
}
