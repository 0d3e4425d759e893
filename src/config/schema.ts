import { z } from 'zod';
import { DOMAIN_NAME, MAILBOX_HINT, parseMailbox } from '../common/mailbox.js';
import { SIGNALS, type SignalName } from '../detect/signals.js';

/** Threshold keys of earlier versions: refused with a line that names the key to write instead. */
const RENAMED_THRESHOLDS: Readonly<Record<string, SignalName>> = {
  excessive_requests: 'excessive_arp',
  unresolved: 'unresolved_arp',
  off_link: 'off_link_target',
  routed_target: 'routed_ip_target',
};

/**
 * Every number has an upper bound the code can handle (issue 14): a timer at most 2^31-1 ms (Node's setTimeout
 * fires at once past it), a count or buffer what memory holds. zod's too_big message names the limit.
 */
export const MAX_TIMER_SECONDS = 2_147_483;
/** events per window: the counters are 32-bit, and no threshold means anything past this */
const MAX_THRESHOLD = 1_000_000;

const thresholdShape = Object.fromEntries(SIGNALS.map((s) => [s.name, z.number().int().min(1).max(MAX_THRESHOLD).default(s.threshold)])) as {
  [K in SignalName]: z.ZodDefault<z.ZodNumber>;
};

/** An old key is an error of its own, not an "unknown key": the line says what to write. */
const renamedShape = Object.fromEntries(
  Object.entries(RENAMED_THRESHOLDS).map(([old, now]) => [old, z.never({ error: `renamed: write ${now}` }).optional()]),
) as Record<keyof typeof RENAMED_THRESHOLDS, z.ZodOptional<z.ZodNever>>;

const thresholdsSchema = z.strictObject({ ...thresholdShape, ...renamedShape }).transform((t) => {
  const out = {} as Record<SignalName, number>;
  for (const s of SIGNALS) out[s.name] = t[s.name];
  return out;
});

/**
 * arpwarden's configuration: every default and unit is here, nowhere else.
 * Counts are events per sliding window, per sender IP, on packet time.
 */
export const detectorSchema = z.strictObject({
  /** length of the sliding window, seconds */
  window_seconds: z.number().int().min(5).max(3600).default(60),
  /** sub-buckets of the window: the window slides by window/buckets */
  buckets: z.number().int().min(2).max(60).default(6),
  /** a request with no reply after this many seconds is unresolved (Linux retransmits after 1 s) */
  reply_timeout_seconds: z.number().min(0.1).max(60).default(3),
  /** an incident resolves when its evidence stays under its threshold this long, seconds */
  quiet_period_seconds: z.number().min(1).max(86400).default(300),
  /** events per window at which a signal counts as evidence; one key per signal (src/detect/signals.ts), with its default there */
  thresholds: thresholdsSchema.prefault({}),
  /**
   * Quiet misconfigurations: a persistent signal (mac_mismatch, off_link_target, wrong_gateway, unusable_address, unresolved_arp)
   * of a routed IP also counts as evidence once seen in `periods` distinct periods of the last `horizon_seconds`, however slowly:
   * a host that does it every few seconds is caught within minutes, a single stray frame never. The per-window thresholds stay for bursts.
   */
  persistence: z.strictObject({
    /** length of one period, seconds: evidence counts once per period */
    period_seconds: z.number().int().min(1).max(3600).default(60),
    /** distinct periods with evidence, within the horizon, that make it persistent */
    periods: z.number().int().min(2).max(64).default(5),
    /** how far back periods count, seconds (at most 64 periods) */
    horizon_seconds: z.number().int().min(2).max(64 * 3600).default(1800),
  }).refine((p) => p.horizon_seconds / p.period_seconds <= 64, { message: 'horizon_seconds spans more than 64 periods of period_seconds' })
    .refine((p) => p.periods <= Math.floor(p.horizon_seconds / p.period_seconds), { message: 'periods is more than the horizon holds (horizon_seconds / period_seconds)' })
    .prefault({}),
  /** distinct MACs past which an IP's MAC changes look like spoofing: NOC only, no customer case */
  spoof_macs: z.number().int().min(3).max(64).default(4),
  /** NOC-only incidents open at once in one VLAN that become one flood incident (spoofing, a scan, a loop) */
  flood_senders: z.number().int().min(2).max(1_000_000).default(20),
  /** senders tracked at once; past it new senders are counted, not tracked */
  max_senders: z.number().int().min(100).max(10_000_000).default(100_000),
  /** requests awaiting a reply, tracked at once; past it the oldest is dropped, counted */
  max_pending: z.number().int().min(100).max(10_000_000).default(200_000),
  /** a sender with no ARP and no pending request this long is forgotten, seconds: longer than the window, so no evidence is lost, short enough that a provider's quiet senders leave room for its noisy ones */
  sender_idle_seconds: z.number().min(1).max(86_400).default(120),
  /** sample ARP lines kept per incident */
  samples: z.number().int().min(1).max(100).default(10),
  /** resolved incidents a daemon keeps in memory for its summary and page (the sinks get every one); older ones are forgotten */
  incident_history: z.number().int().min(0).max(1_000_000).default(1000),
  /** incidents open at once; past it new ones are not opened but counted in one NOC incident, `overflow` (memory stays bounded whatever the traffic) */
  max_open_incidents: z.number().int().min(1).max(1_000_000).default(5_000),
});

/** A Redis URL ioredis reads as the user meant: a host, a port if any in range, a database 0-15 if any, nothing else. */
function redisUrlProblem(text: string): string | null {
  if (!/^rediss?:\/\//.test(text)) return 'expected redis://host:port or rediss://host:port';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return 'not a URL: expected redis://[user:pass@]host:port[/db]';
  }
  if (u.hostname === '') return 'no host: expected redis://[user:pass@]host:port[/db]';
  // URL keeps a port it cannot read as the host's part, or refuses it; ioredis would read a number
  if (u.port !== '' && (Number(u.port) < 1 || Number(u.port) > 65535)) return `port ${u.port}: expected 1 to 65535`;
  if (u.search !== '' || u.hash !== '') return `${u.search}${u.hash}: no query or fragment (redis://[user:pass@]host:port[/db])`;
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^(\d|1[0-5])$/.test(db)) return `database "/${db}": expected a number from 0 to 15 (redis://host:port/2)`;
  return null;
}

const redisUrlCheck: z.core.CheckFn<string> = (ctx) => {
  const problem = redisUrlProblem(ctx.value);
  if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
};

/** The email queue between the capture daemons and the workers (BullMQ on Redis). */
export const queueSchema = z.strictObject({
  /** redis://[user:pass@]host:port[/db]; none: embedded mode (replay/capture --outbox write .eml files, nothing is queued) */
  redis_url: z.string().check(redisUrlCheck).optional(),
  /** Redis Sentinel: the sentinels to ask for the master (then redis_url gives only the password and database) */
  sentinels: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected HOST:PORT')).min(1).optional(),
  /** the master's name in the sentinels' configuration (`sentinel monitor NAME ...`) */
  sentinel_name: z.string().min(1).default('mymaster'),
  /** the BullMQ queue, and the namespace of the cooldown, mute and sent keys */
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore').default('arpwarden-email'),
  /** after an email for a (customer, IP, case), no other one for this long, hours (0: off) */
  cooldown_hours: z.number().min(0).max(8760).default(24),
  /** tries of one email before it stays in the failed set */
  attempts: z.number().int().min(1).max(100).default(8),
  /** first retry delay, seconds; doubles at each try (30 s, 1 min, 2 min ... ~1 h for the 8th) */
  backoff_seconds: z.number().min(0.01).max(86_400).default(30),
  /** email jobs held in memory by a capture daemon while Redis is unreachable; past it they are dropped, counted */
  buffer: z.number().int().min(1).max(1_000_000).default(10_000),
  /** a job whose worker died is handed to another worker after this long, seconds (BullMQ lock and stalled check) */
  stalled_seconds: z.number().min(0.5).max(MAX_TIMER_SECONDS).default(30),
  /** completed jobs and the worker's "sent" markers are kept this long, days: a replayed capture never mails twice within it */
  keep_days: z.number().min(1).max(3650).default(30),
  /** on exit, how long a daemon waits for Redis to take its buffered jobs, seconds */
  flush_seconds: z.number().min(0).max(MAX_TIMER_SECONDS).default(5),
});

/** The SMTP relay the workers send through (nodemailer). */
export const smtpSchema = z.strictObject({
  host: z.string().min(1).default('localhost'),
  port: z.number().int().min(1).max(65535).default(25),
  /** TLS from the first byte (port 465) */
  secure: z.boolean().default(false),
  /** STARTTLS on a plain connection: auto (when the relay offers it), always (refuse without), never */
  starttls: z.enum(['auto', 'always', 'never']).default('auto'),
  user: z.string().optional(),
  pass: z.string().optional(),
  /** keep connections open and reuse them */
  pool: z.boolean().default(true),
  /** connections per worker, and jobs one worker sends at once */
  max_connections: z.number().int().min(1).max(100).default(5),
  /** emails per second, across every worker of the queue (BullMQ rate limiter) */
  rate_per_second: z.number().int().min(1).max(10_000).default(10),
  /** connection, greeting and socket timeouts, seconds */
  timeout_seconds: z.number().min(1).max(MAX_TIMER_SECONDS).default(60),
}).refine((s) => (s.user === undefined) === (s.pass === undefined), { message: 'user and pass go together' });

/** The identity the emails carry until the configuration names the provider's: fine for a preview (outbox), refused by the worker. */
export const EXAMPLE_IDENTITY = { from: 'Example Hosting NOC <noc@example.net>', provider: 'Example Hosting' } as const;

const mailbox = z.string().refine((s) => parseMailbox(s) !== null, MAILBOX_HINT);

/** What the warning emails say about who sends them. */
export const emailSchema = z.strictObject({
  /** an RFC 5322 mailbox: `noc@provider.example` or `Our NOC <noc@provider.example>` */
  from: mailbox.default(EXAMPLE_IDENTITY.from),
  /** replies go to the NOC (default: email.from) */
  reply_to: mailbox.optional(),
  /** the provider's name, as the customer knows it */
  provider: z.string().min(1).default(EXAMPLE_IDENTITY.provider),
  /** the domain of the Message-ID (default: email.from's) */
  message_id_domain: z.string().regex(DOMAIN_NAME, 'expected a domain name with a dot, such as provider.example').optional(),
  /** the closing lines of every email (default: the templates' own) */
  signature: z.string().optional(),
  /** every warning also goes to this mailbox (the ticket system), as a Bcc: the same message, the same Message-ID */
  archive_bcc: mailbox.optional(),
  /** incidents of one customer, case and block (or server) that open within this long of packet time go out as one email listing every IP, seconds (0: one email per IP); at most detector.quiet_period_seconds, a longer one acts as it */
  group_seconds: z.number().min(0).max(86_400).default(300),
});

/** Maintenance: no email for these, on top of `muted: true` in the inventory and `arpwarden mute`. */
export const muteSchema = z.strictObject({
  customers: z.array(z.string().min(1)).default([]),
  ips: z.array(z.ipv4()).default([]),
});

/** The inventory's reloads (SIGHUP): a truncated or half-generated file is not taken. */
export const inventoryReloadSchema = z.strictObject({
  /** a reload that would remove more than this share of the inventory's customer IPs (servers' main IPs, failover IPs) is refused, percent (100: any reload is taken) */
  max_removed_percent: z.number().min(0).max(100).default(50),
  /** the compiled cache of the last good inventory (capture only); absent: $STATE_DIRECTORY/inventory.cache under systemd, else none; false: none */
  cache: z.union([z.string().min(1), z.literal(false)]).optional(),
});

/** An environment variable's name (a secret read from the environment rather than the file). */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

/** Metrics: the telemetry snapshot written every interval of packet time to InfluxDB 1.x (`influx`) and/or 2.x/3.x (`influx2`); neither: none. */
export const metricsSchema = z.strictObject({
  /** a snapshot is written every this many seconds of packet time (and at the end of a replay or capture) */
  interval_seconds: z.number().min(1).max(3600).default(10),
  /** points written at most per request */
  batch_size: z.number().int().min(1).max(100_000).default(5000),
  /** points held in memory while InfluxDB is away; past it the oldest are dropped, counted (at least batch_size) */
  buffer: z.number().int().min(1).max(10_000_000).default(100_000),
  /** first retry delay after a failed write, seconds; doubles up to max_retry_seconds */
  retry_seconds: z.number().min(0.01).max(MAX_TIMER_SECONDS).default(1),
  max_retry_seconds: z.number().min(0.01).max(MAX_TIMER_SECONDS).default(30),
  /** on exit, how long to wait for InfluxDB to take the points held, seconds */
  flush_seconds: z.number().min(0).max(MAX_TIMER_SECONDS).default(5),
  /** per-sender series (`ip` tag) for this many top senders, besides every IP with an open incident */
  top_senders: z.number().int().min(1).max(1000).default(20),
  /** tags added to every point (which router, which span port); a metric's own labels win */
  tags: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a tag name: letters, digits, underscore'), z.string().min(1)).optional(),
  /** InfluxDB 1.x: http://[user:pass@]HOST:PORT/DATABASE */
  influx: z.strictObject({
    url: z.string().regex(/^https?:\/\/[^/?#]+\/[^/?#]+\/?$/, 'expected http://HOST:PORT/DATABASE'),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /** the password from this environment variable */
    password_env: envName.optional(),
  }).refine((i) => i.password === undefined || i.password_env === undefined, { message: 'password or password_env, not both' }).optional(),
  /** InfluxDB 2.x and 3.x (the v2 write API) */
  influx2: z.strictObject({
    url: z.string().regex(/^https?:\/\/[^/?#]+\/?$/, 'expected http://HOST:PORT'),
    org: z.string().min(1),
    bucket: z.string().min(1),
    token: z.string().min(1).optional(),
    /** the token from this environment variable */
    token_env: envName.optional(),
  }).refine((i) => (i.token === undefined) !== (i.token_env === undefined), { message: 'token or token_env, one of them' }).optional(),
}).refine((m) => m.buffer >= m.batch_size, { message: 'buffer is smaller than batch_size' });
/** The capture daemon's web API (`GET /api/incidents`, `/metrics`, ...): off unless asked, loopback unless a token guards it. */
export const webSchema = z.strictObject({
  /** HOST:PORT to listen on (`[::1]:9740` for IPv6); null: no web server. A non-loopback address needs a token */
  listen: z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:9740').nullable().default(null),
  /** every route but /healthz requires `Authorization: Bearer TOKEN` */
  token: z.string().min(16, 'at least 16 characters').optional(),
  /** the token from this environment variable instead (keeps it out of the file) */
  token_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
  /** events of /api/events kept for a page that reconnects (Last-Event-ID); older ones make it refetch */
  event_history: z.number().int().min(10).max(100_000).default(1000),
  /** a page whose unsent events pass this many KiB is cut off (it reconnects and catches up), never waited for */
  client_buffer_kib: z.number().int().min(16).max(65_536).default(256),
}).refine((w) => w.token === undefined || w.token_env === undefined, { message: 'token and token_env: one or the other' });

/** The NOC's own notification: every incident opened, resolved or folded (noise included) POSTed as JSON to a webhook. */
export const nocSchema = z.strictObject({
  /** http(s)://... that receives the POSTs; none: no webhook */
  webhook_url: z.string().regex(/^https?:\/\/[^/?#\s]+/, 'expected http://HOST[:PORT]/PATH or https://...')
    .refine((u) => URL.canParse(u), { message: 'not a URL' })
    // fetch refuses a URL with credentials: say so at start, not as a failure at every retry
    .refine((u) => !/^https?:\/\/[^/?#]*@/.test(u), { message: 'credentials in the URL are not sent: use webhook_token_env (a bearer token)' }).optional(),
  /** `Authorization: Bearer TOKEN` with the token from this environment variable; none: no header */
  webhook_token_env: envName.optional(),
  /** one POST's timeout, seconds */
  timeout_seconds: z.number().min(0.1).max(300).default(10),
  /** notifications held while the webhook is away; past it the oldest are dropped, counted */
  max_pending: z.number().int().min(1).max(1_000_000).default(10_000),
  /** first retry delay after a failed POST, seconds; doubles up to max_retry_seconds */
  retry_seconds: z.number().min(0.01).max(MAX_TIMER_SECONDS).default(1),
  max_retry_seconds: z.number().min(0.01).max(MAX_TIMER_SECONDS).default(60),
  /** on exit, how long a daemon waits for the webhook to take the notifications held, seconds */
  flush_seconds: z.number().min(0).max(MAX_TIMER_SECONDS).default(5),
});

/** What the capture daemon keeps across a restart (open incidents, packet time): docs/operations.md, "State across restarts". */
export const stateSchema = z.strictObject({
  /** the state file, used even with a queue; null: in Redis with a queue, else $STATE_DIRECTORY/capture-IF.json under systemd, else nothing kept */
  file: z.string().min(1).nullable().default(null),
  /** written this often while capturing, and at stop */
  save_seconds: z.number().min(1).max(86400).default(30),
  /** with a queue (and no state.file) the state is a Redis key named by this and the interface; default: the host name */
  instance: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, dot, dash or underscore (at most 100)').optional(),
  /** at start, how long to wait for Redis to read the state, seconds; then the daemon starts with none */
  wait_seconds: z.number().min(0).max(300).default(10),
});

export const configSchema = z.strictObject({
  detector: detectorSchema.prefault({}),
  queue: queueSchema.prefault({}),
  smtp: smtpSchema.prefault({}),
  email: emailSchema.prefault({}),
  mute: muteSchema.prefault({}),
  inventory: inventoryReloadSchema.prefault({}),
  metrics: metricsSchema.prefault({}),
  web: webSchema.prefault({}),
  state: stateSchema.prefault({}),
  noc: nocSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type DetectorConfig = z.infer<typeof detectorSchema>;
export type StateConfig = z.infer<typeof stateSchema>;
export type QueueConfig = z.infer<typeof queueSchema>;
export type SmtpConfig = z.infer<typeof smtpSchema>;
export type EmailConfig = z.infer<typeof emailSchema>;
export type MuteConfig = z.infer<typeof muteSchema>;
export type MetricsConfig = z.infer<typeof metricsSchema>;
export type WebConfig = z.infer<typeof webSchema>;
export type NocConfig = z.infer<typeof nocSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}
