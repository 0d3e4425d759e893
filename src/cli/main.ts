#!/usr/bin/env node
import { Command, Option } from 'commander';
// each command's modules load when it runs: `replay` without --inventory never loads the YAML and schema libraries
import { BUFFER_MIB, DIFF_LIMIT, HOURS, LINES, SECONDS, speedOption, usageErrorLine } from './option-parsers.js';
import { runCommand } from './user-facing.js';
import { registerEmailTools } from './email-tools-commands.js';
import { ARPWARDEN_VERSION } from '../common/version.js';

// `arpwarden replay x.pcap | head`: a closed pipe ends the output quietly, as in tcpdump
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command();
program
  .name('arpwarden')
  .description('Finds the customers whose failover IPs flood a provider network with ARP noise, from the router\'s span port.')
  .version(ARPWARDEN_VERSION)
  // usage errors read like every other error: one line, `arpwarden: ` and our words
  .configureOutput({ outputError: (str, write) => write(`arpwarden: ${usageErrorLine(str)}\n`) })
  .exitOverride((err) => {
    // usage errors are user errors: status 2, like every other one
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

const format = new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
// no default here: without the flag, JSON under systemd and lines for a person elsewhere (telemetry/log-format.ts)
const logFormat = (): Option => new Option('--log-format <format>', 'log lines: json (one object per line) or pretty (default: json under systemd, pretty otherwise)').choices(['json', 'pretty']);

program
  .command('replay')
  .description('run the pipeline on a pcap or pcapng capture and print what it found')
  .argument('<file>', 'capture file (pcap or pcapng, any timestamp resolution); - reads standard input')
  .addOption(format)
  .option('--speed <speed>', 'max, realtime, or a factor of capture speed (10 = ten times faster)', speedOption, 'max' as const)
  .option('--no-progress', 'no progress bar, even on a terminal')
  .option('--filter <bpf>', 'BPF filter: replay only the frames it matches, as tcpdump -r FILE EXPRESSION (a live capture\'s --filter gives its decisions)')
  .option('--vlans <list>', 'only these outer VLANs, e.g. 100-199,300,untagged: what a capture --vlans daemon of this span port saw')
  .option('--inventory <file>', 'inventory YAML: with it, detect and print the incidents')
  .option('--config <file>', 'configuration YAML (thresholds, windows); default: built-in defaults')
  .option('--outbox <dir>', 'write the customers\' warning emails into DIR as .eml files (no server needed)')
  .option('--enqueue', 'put the warning emails on the queue in Redis (queue.redis_url) for the workers to send')
  .option('--influx <url>', 'write the capture\'s metrics to InfluxDB 1.x, on its own timeline: http://HOST:PORT/DATABASE')
  .option('--influx2 <url>', 'write them to InfluxDB 2.x or 3.x (the v2 write API): http://HOST:PORT, with --influx2-org, --influx2-bucket and a token')
  .option('--influx2-org <org>', 'the organization of --influx2')
  .option('--influx2-bucket <bucket>', 'the bucket of --influx2 (3.x: the database)')
  .option('--influx2-token <token>', 'the API token of --influx2 (or --influx2-token-env: a token on the command line shows in ps)')
  .option('--influx2-token-env <var>', 'the environment variable holding the API token of --influx2')
  .action(async (file: string, o: { format: 'text' | 'json'; speed: 'max' | number; progress: boolean; filter?: string; vlans?: string; inventory?: string; config?: string; outbox?: string; enqueue?: boolean; influx?: string;
    influx2?: string; influx2Org?: string; influx2Bucket?: string; influx2Token?: string; influx2TokenEnv?: string }) => {
    await runCommand(async () => (await import('./replay.js')).replayCommand(file, o));
  });

program
  .command('capture')
  .description('capture ARP live on a span port (one process per port)')
  .requiredOption('-i, --interface <name>', 'interface to capture on')
  .option('--filter <bpf>', 'BPF filter (default: ARP, untagged, 802.1Q or QinQ)')
  .option('--no-promiscuous', 'do not put the interface in promiscuous mode')
  .option('--buffer-mib <n>', 'kernel capture buffer, MiB (1 to 2047)', BUFFER_MIB, 32)
  // the default's description, not its value: "(default: 0)" beside "run until SIGINT/SIGTERM" read as two defaults
  .addOption(new Option('--seconds <n>', 'stop after n seconds (at most 2,147,483)').argParser(SECONDS).default(0, '0, run until SIGINT/SIGTERM'))
  .option('--inventory <file>', 'inventory YAML: with it, detect and report incidents as they happen')
  .option('--config <file>', 'configuration YAML (thresholds, windows; with queue.redis_url the warning emails are queued)')
  .option('--outbox <dir>', 'also write the customers\' warning emails into DIR as .eml files')
  .option('--web <host:port>', 'serve the web API (incidents, stats, /metrics) on HOST:PORT (overrides web.listen)')
  .option('--state <file>', 'keep the open incidents in FILE across restarts (overrides state.file)')
  .option('--vlans <list>', 'only these outer VLANs, e.g. 100-199,300,untagged: several daemons share a span port (docs/operations.md, "Scaling out")')
  .addOption(format)
  .addOption(logFormat())
  .action(async (o: { interface: string; filter?: string; promiscuous: boolean; bufferMib: number; seconds: number; format: 'text' | 'json'; logFormat?: 'json' | 'pretty'; inventory?: string; config?: string; outbox?: string; web?: string; state?: string; vlans?: string }) => {
    await runCommand(async () => (await import('./capture.js')).captureCommand(o), { process: 'capture', logFormat: o.logFormat });
  });

program
  .command('explain')
  .description('for one IP: what the inventory says, its ARP in a capture, each rule\'s numbers, and the case it gets or why none')
  .argument('<file>', 'capture file (pcap or pcapng); - reads standard input')
  .argument('<ip>', 'the IP to explain')
  .requiredOption('--inventory <file>', 'inventory YAML')
  .option('--config <file>', 'configuration YAML')
  .option('--lines <n>', 'timeline lines shown at most (0: all)', LINES, 200)
  .action(async (file: string, ip: string, o: { inventory: string; config?: string; lines: number }) => {
    await runCommand(async () => (await import('./explain.js')).explainCommand(file, ip, o));
  });

const inventory = program.command('inventory').description('the inventory of customers, servers and their IPs');
inventory
  .command('check')
  .description('validate an inventory file (exit 2 with file, line and reason when it is wrong)')
  .argument('<file>', 'inventory YAML')
  .action(async (file: string) => {
    await runCommand(async () => (await import('./inventory-check.js')).inventoryCheckCommand(file));
  });
inventory
  .command('diff')
  .description('what a reload from OLD to NEW would change: customers, servers, failover IPs, blocks added, removed, changed')
  .argument('<old>', 'inventory YAML in use')
  .argument('<new>', 'inventory YAML to load')
  .option('--config <file>', 'configuration YAML (inventory.max_removed_percent: would the reload be refused?)')
  .option('--limit <n>', 'entries listed at most per list (0: all)', DIFF_LIMIT, 20)
  .action(async (oldFile: string, newFile: string, o: { config?: string; limit: number }) => {
    await runCommand(async () => (await import('./inventory-diff.js')).inventoryDiffCommand(oldFile, newFile, o));
  });

program
  .command('worker')
  .description('send the queued warning emails over SMTP (one or more per queue); SIGTERM finishes the emails being sent')
  .option('--config <file>', 'configuration YAML (queue.redis_url, smtp, email)')
  .addOption(logFormat())
  .action(async (o: { config?: string; logFormat?: 'json' | 'pretty' }) => {
    await runCommand(async () => (await import('./worker.js')).workerCommand(o), { process: 'worker', logFormat: o.logFormat });
  });

const queue = program.command('queue').description('the warning email queue in Redis');
queue
  .command('status')
  .description('jobs waiting, active, delayed, completed and failed, and why the failed ones failed')
  .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
  .addOption(format)
  .action(async (o: { config?: string; format: 'text' | 'json' }) => {
    await runCommand(async () => (await import('./queue.js')).queueStatusCommand(o));
  });
queue
  .command('retry')
  .description('send failed jobs again (with their tries counted afresh)')
  .argument('[id]', 'the failed job (as queue status shows it)')
  .option('--all', 'every failed job', false)
  .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
  .action(async (id: string | undefined, o: { config?: string; all: boolean }) => {
    await runCommand(async () => (await import('./queue.js')).queueRetryCommand(id, o));
  });

queue
  .command('list')
  .description('the jobs, one row each: id, state, customer, IP, case, age, tries, last error (default: those not done)')
  .addOption(new Option('--state <state>', 'only this state').choices(['waiting', 'active', 'delayed', 'failed', 'maybe-sent', 'completed']))
  .option('--limit <n>', 'rows at most (0: all)', DIFF_LIMIT, 50)
  .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
  .addOption(format)
  .action(async (o: { config?: string; format: 'text' | 'json'; state?: 'waiting' | 'active' | 'delayed' | 'failed' | 'maybe-sent' | 'completed'; limit: number }) => {
    await runCommand(async () => (await import('./queue-list.js')).queueListCommand(o));
  });
queue
  .command('resend')
  .description('send a job\'s email again (maybe-sent, failed or completed): clears its sent marker; the customer may get a second copy')
  .argument('<id>', 'the job (as queue list shows it)')
  .option('--yes', 'do not ask (needed when stdin is not a terminal)', false)
  .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
  .action(async (id: string, o: { config?: string; yes: boolean }) => {
    await runCommand(async () => (await import('./queue-resend.js')).queueResendCommand(id, o));
  });

const mute = program.command('mute').description('no warning email for a customer or an IP (maintenance); stored in Redis');
const unmute = program.command('unmute').description('warning emails again for a muted customer or IP');
for (const kind of ['customer', 'ip'] as const) {
  mute
    .command(kind)
    .argument(kind === 'customer' ? '<id>' : '<ip>', kind === 'customer' ? 'customer id (as in the inventory)' : 'IPv4 address')
    .description(`mute a${kind === 'ip' ? 'n IP' : ' customer'}`)
    .option('--hours <n>', 'for n hours, a year at most (default: until unmuted)', HOURS)
    .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
    .option('--inventory <file>', `refuse a${kind === 'ip' ? 'n IP' : ' customer'} this inventory does not know (a typo would mute nobody)`)
    .action(async (value: string, o: { config?: string; hours?: number; inventory?: string }) => {
      await runCommand(async () => (await import('./mute.js')).muteCommand(kind, value, o));
    });
  unmute
    .command(kind)
    .argument(kind === 'customer' ? '<id>' : '<ip>')
    .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
    .action(async (value: string, o: { config?: string }) => {
      await runCommand(async () => (await import('./mute.js')).unmuteCommand(kind, value, o));
    });
}
mute
  .command('list')
  .description('what is muted, and for how long')
  .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
  .action(async (o: { config?: string }) => {
    await runCommand(async () => (await import('./mute.js')).muteListCommand(o));
  });

registerEmailTools(program);

await program.parseAsync(process.argv);
