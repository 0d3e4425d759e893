import fs from 'node:fs';
import path from 'node:path';
import { fileErrorReason } from '../common/read-user-file.js';
import { UserError } from '../common/user-error.js';
import type { z } from 'zod';
import { queueSchema, webSchema } from './schema.js';

/**
 * Secrets kept out of the configuration file: each comes from a systemd credential
 * (`LoadCredential=NAME:FILE`, read from `$CREDENTIALS_DIRECTORY/NAME`), else from the
 * environment (`ARPWARDEN_…`), else from the file. They are put into the file's data
 * before it is validated, so the schema checks them like any other value and the
 * rest of the program sees one configuration.
 */
export interface Secret {
  /** the systemd credential's name */
  credential: string;
  env: string;
  /** the key it fills */
  key: string;
  /** what it is, for the docs */
  what: string;
  /** the schema's rule for the value, checked here so that the message names where it came from and never shows it */
  rule?: z.ZodType;
}

export const SECRETS: readonly Secret[] = [
  { credential: 'smtp-password', env: 'ARPWARDEN_SMTP_PASSWORD', key: 'smtp.pass', what: 'the SMTP relay\'s password (`smtp.user` stays in the file)' },
  { credential: 'redis-url', env: 'ARPWARDEN_REDIS_URL', key: 'queue.redis_url', what: 'the whole Redis URL, `redis://[user:pass@]host:port[/db]`', rule: queueSchema.shape.redis_url },
  { credential: 'redis-password', env: 'ARPWARDEN_REDIS_PASSWORD', key: 'queue.redis_url', what: 'the password put into `queue.redis_url` (ignored without a URL)' },
  { credential: 'influx-password', env: 'ARPWARDEN_INFLUX_PASSWORD', key: 'metrics.influx.password', what: 'InfluxDB 1.x\'s password (ignored without `metrics.influx`)' },
  { credential: 'influx-token', env: 'ARPWARDEN_INFLUX_TOKEN', key: 'metrics.influx2.token', what: 'InfluxDB 2.x/3.x\'s API token (ignored without `metrics.influx2`)' },
  { credential: 'web-token', env: 'ARPWARDEN_WEB_TOKEN', key: 'web.token', what: 'the web API\'s bearer token', rule: webSchema.shape.token },
];

/** `KEY_env: NAME` keys of the file: the secret from a variable the user names, resolved here too. */
const NAMED_ENV: readonly { section: readonly string[]; key: string }[] = [
  { section: ['web'], key: 'token' },
  { section: ['metrics', 'influx'], key: 'password' },
  { section: ['metrics', 'influx2'], key: 'token' },
];

export interface SecretSources {
  env: NodeJS.ProcessEnv;
  /** `$CREDENTIALS_DIRECTORY` (systemd sets it when the unit has LoadCredential=) */
  credentialsDir?: string;
}

export function processSecretSources(env: NodeJS.ProcessEnv = process.env): SecretSources {
  const dir = env.CREDENTIALS_DIRECTORY;
  return dir === undefined || dir === '' ? { env } : { env, credentialsDir: dir };
}

type Obj = Record<string, unknown>;

/** The configuration file's data with every secret that is set elsewhere put in (a copy: the input is not changed). */
export function applySecrets(data: unknown, sources: SecretSources, configFile = 'the configuration'): unknown {
  if (!isObj(data)) return data;
  const out = clone(data);
  for (const n of NAMED_ENV) {
    const section = at(out, n.section);
    const name = section?.[`${n.key}_env`];
    if (section === undefined || typeof name !== 'string') continue;
    // unset: left to the command that needs it, which says so in one line
    const v = sources.env[name];
    if (v === undefined) continue;
    section[n.key] = v;
    delete section[`${n.key}_env`];
  }
  for (const s of SECRETS) {
    const found = lookup(s, sources);
    if (found === null) continue;
    if (s.credential === 'redis-password') continue; // after the URL, which it goes into
    const [sectionPath, key] = split(s.key);
    const section = sectionPath.length === 1 ? ensure(out, sectionPath[0]) : at(out, sectionPath);
    if (section === undefined) continue;
    if (s.credential === 'smtp-password' && section.user === undefined) {
      throw new UserError(`${found.from} is set but smtp.user is not (in ${configFile}): the password goes with a user`);
    }
    section[key] = found.value;
    delete section[`${key}_env`];
  }
  const password = lookup(SECRETS.find((s) => s.credential === 'redis-password')!, sources);
  const queue = at(out, ['queue']);
  if (password !== null && queue !== undefined && typeof queue.redis_url === 'string') {
    queue.redis_url = withPassword(queue.redis_url, password.value);
  }
  return out;
}

/** The secret's value and where it came from, or null when neither source has it. */
function lookup(s: Secret, sources: SecretSources): { value: string; from: string } | null {
  if (sources.credentialsDir !== undefined) {
    const file = path.join(sources.credentialsDir, s.credential);
    let text: string | null = null;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`credential ${s.credential} (${file}): ${fileErrorReason(e)}`);
    }
    // `echo secret > file` leaves a newline that is not part of the secret
    if (text !== null) return checked(s, text.replace(/\r?\n$/, ''), `credential ${s.credential} (${file})`);
  }
  const v = sources.env[s.env];
  return v === undefined ? null : checked(s, v, s.env);
}

function checked(s: Secret, value: string, from: string): { value: string; from: string } {
  if (value === '') throw new UserError(`${from} is empty`);
  const r = s.rule?.safeParse(value);
  if (r !== undefined && !r.success) throw new UserError(`${from}: ${r.error.issues[0].message}`);
  return { value, from };
}

/** The URL with its password replaced (its user kept); a URL that does not parse is left for the schema to refuse. */
function withPassword(url: string, password: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  u.password = encodeURIComponent(password);
  return u.toString();
}

function split(key: string): [string[], string] {
  const parts = key.split('.');
  return [parts.slice(0, -1), parts[parts.length - 1]];
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(root: Obj, keys: readonly string[]): Obj | undefined {
  let o: unknown = root;
  for (const k of keys) {
    if (!isObj(o)) return undefined;
    o = o[k];
  }
  return isObj(o) ? o : undefined;
}

/** A top-level section, created when the file has none (`smtp`, `queue`, `web` have defaults for every other key). */
function ensure(root: Obj, key: string): Obj | undefined {
  if (root[key] === undefined || root[key] === null) root[key] = {};
  const v = root[key];
  return isObj(v) ? v : undefined;
}

function clone(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) out[k] = isObj(v) ? clone(v) : v;
  return out;
}
