import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../common/user-error.js';
import { loadConfig } from './load.js';
import { applySecrets, processSecretSources, SECRETS } from './secrets.js';

let dir: string;
let creds: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-secrets-'));
  creds = path.join(dir, 'credentials');
  fs.mkdirSync(creds);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function config(text: string): string {
  const file = path.join(dir, 'arpwarden.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const TOKEN = 'abcdefghijklmnopqrstuvwxyz';
const INFLUX = 'metrics:\n  influx:\n    url: http://127.0.0.1:8086/arp\n    username: aw\n  influx2:\n    url: http://127.0.0.1:8087\n    org: o\n    bucket: b\n';

describe('secrets', () => {
  it('fill their keys from the environment, none of them in the file', () => {
    const file = config(`queue:\n  redis_url: redis://127.0.0.1:6379/2\nsmtp:\n  user: noc\n${INFLUX}`);
    const c = loadConfig(file, {
      env: { ARPWARDEN_SMTP_PASSWORD: 's3cret', ARPWARDEN_REDIS_PASSWORD: 'p@ss:w/rd%', ARPWARDEN_INFLUX_PASSWORD: 'ip', ARPWARDEN_INFLUX_TOKEN: 'it', ARPWARDEN_WEB_TOKEN: TOKEN },
    });
    expect(c.smtp).toMatchObject({ user: 'noc', pass: 's3cret' });
    expect(c.queue.redis_url).toBe('redis://:p%40ss%3Aw%2Frd%25@127.0.0.1:6379/2');
    // what ioredis will read back
    expect(decodeURIComponent(new URL(c.queue.redis_url!).password)).toBe('p@ss:w/rd%');
    expect(c.metrics.influx?.password).toBe('ip');
    expect(c.metrics.influx2?.token).toBe('it');
    expect(c.web.token).toBe(TOKEN);
  });

  it('come from systemd credentials first, a trailing newline dropped; the environment next; the file last', () => {
    fs.writeFileSync(path.join(creds, 'web-token'), `${TOKEN}-cred\n`);
    fs.writeFileSync(path.join(creds, 'redis-url'), 'redis://cache.example.net:6380\n');
    const file = config(`web:\n  token: ${TOKEN}-file\nsmtp:\n  user: noc\n  pass: from-file\n`);
    const c = loadConfig(file, { env: { ARPWARDEN_WEB_TOKEN: `${TOKEN}-env`, ARPWARDEN_REDIS_URL: 'redis://env:1' }, credentialsDir: creds });
    expect(c.web.token).toBe(`${TOKEN}-cred`);
    expect(c.queue.redis_url).toBe('redis://cache.example.net:6380');
    expect(c.smtp.pass).toBe('from-file');
    expect(loadConfig(file, { env: { ARPWARDEN_WEB_TOKEN: `${TOKEN}-env` } }).web.token).toBe(`${TOKEN}-env`);
  });

  it('the whole Redis URL and its password separately: the password goes into the URL, its user kept', () => {
    const c = loadConfig(undefined, { env: { ARPWARDEN_REDIS_URL: 'redis://aw@10.0.0.5:6379', ARPWARDEN_REDIS_PASSWORD: 'pw' } });
    expect(c.queue.redis_url).toBe('redis://aw:pw@10.0.0.5:6379');
    // no URL: embedded mode, the password alone changes nothing
    expect(loadConfig(undefined, { env: { ARPWARDEN_REDIS_PASSWORD: 'pw' } }).queue.redis_url).toBeUndefined();
  });

  it('resolve the file\'s *_env keys the same way, and leave an unset one to the command that needs it', () => {
    const file = config(`web:\n  token_env: MY_TOKEN\nmetrics:\n  influx2:\n    url: http://127.0.0.1:8087\n    org: o\n    bucket: b\n    token_env: MY_INFLUX\n`);
    const c = loadConfig(file, { env: { MY_TOKEN: TOKEN, MY_INFLUX: 'tok' } });
    expect([c.web.token, c.web.token_env]).toEqual([TOKEN, undefined]);
    expect([c.metrics.influx2?.token, c.metrics.influx2?.token_env]).toEqual(['tok', undefined]);
    const unset = loadConfig(file, { env: {} }).web;
    expect([unset.token, unset.token_env]).toEqual([undefined, 'MY_TOKEN']);
    // ARPWARDEN_WEB_TOKEN wins over the file's choice of variable
    const both = loadConfig(file, { env: { MY_TOKEN: TOKEN, ARPWARDEN_WEB_TOKEN: `${TOKEN}!` } }).web;
    expect([both.token, both.token_env]).toEqual([`${TOKEN}!`, undefined]);
  });

  it('a secret for a section the file does not have is ignored (no InfluxDB configured: no InfluxDB)', () => {
    const c = loadConfig(undefined, { env: { ARPWARDEN_INFLUX_TOKEN: 'it', ARPWARDEN_INFLUX_PASSWORD: 'ip' } });
    expect(c.metrics.influx).toBeUndefined();
    expect(c.metrics.influx2).toBeUndefined();
  });

  it('a bad value is one line naming its source, never showing it', () => {
    const file = config('smtp:\n  host: relay\n');
    const cases: [Parameters<typeof loadConfig>[1], string][] = [
      [{ env: { ARPWARDEN_WEB_TOKEN: 'short-secret' } }, 'ARPWARDEN_WEB_TOKEN: at least 16 characters'],
      [{ env: { ARPWARDEN_REDIS_URL: 'cache:6379' } }, 'ARPWARDEN_REDIS_URL: expected redis://host:port or rediss://host:port'],
      [{ env: { ARPWARDEN_SMTP_PASSWORD: '' } }, 'ARPWARDEN_SMTP_PASSWORD is empty'],
      [{ env: { ARPWARDEN_SMTP_PASSWORD: 'pw' } }, `ARPWARDEN_SMTP_PASSWORD is set but smtp.user is not (in ${file}): the password goes with a user`],
    ];
    for (const [sources, message] of cases) {
      expect(() => loadConfig(file, sources)).toThrow(new UserError(message));
    }
    fs.writeFileSync(path.join(creds, 'web-token'), '\n');
    expect(() => loadConfig(file, { env: {}, credentialsDir: creds })).toThrow(new UserError(`credential web-token (${path.join(creds, 'web-token')}) is empty`));
    fs.rmSync(path.join(creds, 'web-token'));
    fs.mkdirSync(path.join(creds, 'web-token'));
    expect(() => loadConfig(file, { env: {}, credentialsDir: creds })).toThrow(/^credential web-token \(.*\): is a directory$/);
  });

  it('leave the file\'s data as it was, and credentials only when systemd says where', () => {
    const data = { smtp: { user: 'noc' } };
    expect(applySecrets(data, { env: { ARPWARDEN_SMTP_PASSWORD: 'x' } })).toEqual({ smtp: { user: 'noc', pass: 'x' } });
    expect(data).toEqual({ smtp: { user: 'noc' } });
    expect(processSecretSources({ CREDENTIALS_DIRECTORY: '/run/credentials/x' })).toMatchObject({ credentialsDir: '/run/credentials/x' });
    expect(processSecretSources({ CREDENTIALS_DIRECTORY: '' }).credentialsDir).toBeUndefined();
  });

  it('have distinct names, ARPWARDEN_ variables and lower-case credentials', () => {
    expect(new Set(SECRETS.map((s) => s.env)).size).toBe(SECRETS.length);
    expect(new Set(SECRETS.map((s) => s.credential)).size).toBe(SECRETS.length);
    for (const s of SECRETS) {
      expect(s.env).toMatch(/^ARPWARDEN_[A-Z0-9_]+$/);
      expect(s.credential).toMatch(/^[a-z0-9-]+$/);
    }
  });
});
