import { SingleBar } from 'cli-progress';
import { FileSource } from '../capture/file-source.js';
import { VlanSelect } from '../capture/vlan-select.js';
import { VlanSet } from '../capture/vlan-set.js';
import { printable } from '../common/printable.js';
import { isoMicros, tcpdumpTime } from '../common/time.js';
import { UserError } from '../common/user-error.js';
import type { Config } from '../config/schema.js';
import type { Influx2Config } from '../metrics/influx2.js';
import type { InventoryIndex } from '../inventory/inventory-index.js';
import { replayFile } from '../pipeline/replay.js';
import { Telemetry } from '../telemetry/telemetry.js';
import type { TrafficSummary } from '../pipeline/traffic-summary.js';
import { incidentJson, incidentsText } from './incidents-output.js';
import { cutShortText, outOfOrderText, replayJson, summaryText } from './summary-output.js';

export interface ReplayOptions {
  format: 'text' | 'json';
  /** 'max' or a factor of capture speed (1: as captured); the command line parses it (option-parsers.ts) */
  speed: 'max' | number;
  progress: boolean;
  /** a BPF expression: only the frames it matches are replayed (a live daemon's --filter, or tcpdump's -r FILE EXPRESSION) */
  filter?: string;
  /** only these outer VLANs (capture --vlans's list): one shard's share of the span port */
  vlans?: string;
  inventory?: string;
  config?: string;
  /** write the warning emails into this directory */
  outbox?: string;
  /** put the warning emails on the queue (queue.redis_url) */
  enqueue?: boolean;
  /** write the capture's metrics to InfluxDB 1.x: http://HOST:PORT/DATABASE */
  influx?: string;
  /** and/or to InfluxDB 2.x/3.x: http://HOST:PORT, with its org, bucket and token (or the token's variable) */
  influx2?: string;
  influx2Org?: string;
  influx2Bucket?: string;
  influx2Token?: string;
  influx2TokenEnv?: string;
}

/** Files smaller than this are read before a bar would be seen. */
const PROGRESS_MIN_BYTES = 4 << 20;

export async function replayCommand(file: string, opts: ReplayOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const speed = opts.speed;
  // before anything opens: a list that does not parse is one line
  const vlanSet = opts.vlans === undefined ? null : VlanSet.parse(opts.vlans);
  const emailOption = opts.outbox !== undefined ? '--outbox' : opts.enqueue === true ? '--enqueue' : null;
  if (emailOption !== null && opts.inventory === undefined) throw new UserError(`${emailOption} needs --inventory: the emails come from the incidents`);
  const influx2 = influx2Target(opts);
  const { config, inventory } = await loadDetectionInputs(opts);
  const emails = emailOption === null || config === null ? null : await (await import('../email/create-notifier.js')).createNotifier(config, {
    outbox: opts.outbox, enqueue: opts.enqueue === true, redisNow: true, configFile: opts.config,
    log: (line) => process.stderr.write(`arpwarden: ${printable(line)}\n`),
  });
  const metricsAsked = opts.influx !== undefined || opts.influx2 !== undefined;
  const telemetry = metricsAsked ? new Telemetry() : undefined;
  // with --outbox or --enqueue, the emails' counts go to InfluxDB too
  if (telemetry !== undefined && emails !== null) (await import('../daemon/sinks/email.js')).registerEmailTelemetry(telemetry, () => emails.json());
  const metrics = !metricsAsked ? null : await (await import('../metrics/replay-metrics.js')).replayMetrics({ influx: opts.influx, influx2 }, config!.metrics, telemetry!);
  const showBar = opts.progress && opts.format === 'text' && process.stdout.isTTY === true && process.stderr.isTTY === true;
  let bar: SingleBar | null = null;
  const { source, selected } = await closingOnError(emails, () => {
    const source = new FileSource(file, {
      speed,
      filter: opts.filter,
      onProgress: showBar ? (bytes) => {
        if (bar === null) {
          bar = new SingleBar({ format: 'replay |{bar}| {percentage}% | {value}/{total} MiB | {eta_formatted} left', stream: process.stderr, hideCursor: true, synchronousUpdate: true }); 
          bar.start(Math.ceil(source.sizeBytes / 1048576), 0);
        }
        bar.update(progressMiB(bytes, source.sizeBytes));
      } : undefined,
    });
    if (showBar && source.sizeBytes < PROGRESS_MIN_BYTES && speed === 'max') source.disableProgress();
    return { source, selected: vlanSet === null ? null : new VlanSelect(source, vlanSet) };
  });
  const started = performance.now();
  // Ctrl-C stops the reading, not the program: what was read is printed, marked incomplete (a second Ctrl-C kills)
  const interrupt = new AbortController();
  const onSigint = (): void => { interrupt.abort(); };
  process.once('SIGINT', onSigint);
  let run: Awaited<ReturnType<typeof replayFile>>;
  try {
    run = await replayFile(metrics?.source(selected ?? source) ?? selected ?? source, config, inventory, emails?.sinks ?? [], telemetry, interrupt.signal, metrics?.clock);
  } finally {
    process.off('SIGINT', onSigint);
    // on an error too: a queue sink's connection would keep the process alive
    await emails?.close();
  }
  const written = await metrics?.finish();
  const detection = run.detection;
  const elapsed = (performance.now() - started) / 1000;
  const interrupted = interrupt.signal.aborted ? interruptedText(run.summary) : null;
  if (bar !== null) (bar as SingleBar).stop();
  if (run.capture.truncated) process.stderr.write(`arpwarden: ${printable(cutShortText(file, run.summary.frames, source.readError ?? 'libpcap could not read the next record'))}\n`);
  if (run.summary.framesOutOfOrder > 0) {
    process.stderr.write(`arpwarden: warning: ${file}: ${outOfOrderText(run.summary)} (captures joined with mergecap -a?); packet time stayed at the latest frame\n`);
  }
  if (opts.format === 'json') {
    const doc: Record<string, unknown> = { ...replayJson(file, run, source.readError), complete: interrupted === null };
    // the counts are the filtered frames': the document says which
    if (opts.filter !== undefined) doc.filter = opts.filter;
    if (selected !== null) doc.vlans_selected = { vlans: selected.set.text, frames_skipped: selected.skipped };
    if (interrupted !== null) doc.interrupted = { frames: run.summary.frames, packet_time: run.summary.lastTs < 0 ? null : isoMicros(run.summary.lastTs), message: interrupted };
    if (detection !== null) doc.incidents = detection.incidents!.map(incidentJson);
    if (detection !== null && detection.notRecorded > 0) doc.incidents_not_listed = detection.notRecorded;
    if (emails !== null) doc.emails = emails.json();
    if (metrics !== null) doc.metrics = metrics.json();
    out.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    const filtered = (opts.filter === undefined ? '' : `, frames matching ${JSON.stringify(opts.filter)}`)
      + (selected === null ? '' : `, VLANs ${selected.set.text} (${selected.skipped.toLocaleString('en-US')} frames of others passed over)`);
    out.write(summaryText(`replay ${file}${filtered}${interrupted === null ? '' : ' (interrupted: incomplete)'}`, run));
    if (detection !== null) out.write(incidentsText(detection.incidents!));
    if (detection !== null && detection.notRecorded > 0) out.write(`  (${detection.notRecorded.toLocaleString('en-US')} later incidents not listed)\n`);
    for (const line of emails?.report() ?? []) out.write(`${line}\n`);
    for (const line of written?.lines ?? []) out.write(`  ${line}\n`);
    const rate = elapsed > 0 ? Math.round(run.summary.frames / elapsed) : 0;
    out.write(`  read ${run.summary.frames.toLocaleString('en-US')} frames in ${elapsed.toFixed(2)} s (${rate.toLocaleString('en-US')} frames/s)\n`);
    if (interrupted !== null) out.write(`  ${interrupted}\n`);
  }
  const emailFailure = emails?.failure() ?? null;
  if (emailFailure !== null) process.stderr.write(`arpwarden: ${printable(emailFailure)}\n`);
  if (written !== undefined && written.notWritten > 0) {
    process.stderr.write(`arpwarden: ${opts.influx2 !== undefined && opts.influx === undefined ? '--influx2' : '--influx'}: ${written.notWritten} metric points not written to ${written.target}${written.lastError === null ? '' : ` (${written.lastError})`}\n`);
    if (interrupted === null) return 2;
  }
  // 128 + SIGINT, as a shell reports a process Ctrl-C ended
  return interrupted !== null ? 130 : emailFailure !== null ? 2 : 0;
}

/** `open()`'s value; when it throws (a file that cannot be read, a --vlans on a cooked capture), the email sinks are closed first: a queue's connection would keep the process alive. */
async function closingOnError<T>(emails: { close(): Promise<void> } | null, open: () => T): Promise<T> {
  try {
    return open();
  } catch (e) {
    await emails?.close();
    throw e;
  }
}

/**
 * The bar's value for `bytes` read of `size`: whole MiB read, and the bar's total (the size rounded up) once all is
 * read: rounded down, a 94.3 MiB file ended at 94 of 95, "98%", as if the end had not been read.
 */
export function progressMiB(bytes: number, size: number): number {
  return bytes >= size ? Math.ceil(size / 1048576) : Math.floor(bytes / 1048576);
}

/** "interrupted after 1,204 frames at packet time 2026-11-02 09:01:12.345678 UTC: the counts and incidents are incomplete" */
function interruptedText(s: TrafficSummary): string {
  const at = s.lastTs < 0 ? 'before the first frame' : `at packet time ${tcpdumpTime(s.lastTs)} UTC`;
  return `interrupted after ${s.frames.toLocaleString('en-US')} frames ${at}: the counts and incidents are incomplete`;
}

/** The configuration and inventory, loaded only when detection is asked for: decode-only replays skip the schema and YAML libraries. */
async function loadDetectionInputs(opts: ReplayOptions): Promise<{ config: Config | null; inventory: InventoryIndex | null }> {
  if (opts.inventory === undefined && opts.config === undefined && opts.influx === undefined && opts.influx2 === undefined) return { config: null, inventory: null };
  const { loadConfig } = await import('../config/load.js');
  const { loadInventory } = await import('../inventory/load.js');
  return { config: loadConfig(opts.config), inventory: opts.inventory === undefined ? null : loadInventory(opts.inventory) };
}

/** `--influx2 URL --influx2-org ORG --influx2-bucket BUCKET --influx2-token[-env]`, checked as metrics.influx2 is; the missing piece in one line. */
function influx2Target(opts: ReplayOptions): Influx2Config | undefined {
  if (opts.influx2 === undefined) {
    const stray = opts.influx2Org !== undefined ? '--influx2-org' : opts.influx2Bucket !== undefined ? '--influx2-bucket'
      : opts.influx2Token !== undefined ? '--influx2-token' : opts.influx2TokenEnv !== undefined ? '--influx2-token-env' : null;
    if (stray !== null) throw new UserError(`${stray} needs --influx2 URL`);
    return undefined;
  }
  if (!/^https?:\/\/[^/?#]+\/?$/.test(opts.influx2)) throw new UserError(`--influx2: ${opts.influx2} is not http://HOST:PORT`);
  if (opts.influx2Org === undefined || opts.influx2Org === '') throw new UserError('--influx2 needs --influx2-org ORG');
  if (opts.influx2Bucket === undefined || opts.influx2Bucket === '') throw new UserError('--influx2 needs --influx2-bucket BUCKET');
  if ((opts.influx2Token === undefined) === (opts.influx2TokenEnv === undefined)) throw new UserError('--influx2 needs --influx2-token TOKEN or --influx2-token-env VAR (one of them)');
  return { url: opts.influx2, org: opts.influx2Org, bucket: opts.influx2Bucket, token: opts.influx2Token, token_env: opts.influx2TokenEnv };
}
