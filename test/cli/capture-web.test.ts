import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../integration/helpers/ports.js';
import { runCli } from './run-cli.js';

const root = process.getuid?.() === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

describe('arpwarden capture --web', () => {
  it('refuses a non-loopback address without web.token: one line, exit 2, before capturing', async () => {
    const r = await runCli(['capture', '-i', 'lo', '--web', '0.0.0.0:9740']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['arpwarden: web: refusing to listen on 0.0.0.0:9740 without web.token: only a loopback address (127.0.0.1, ::1) may serve the API unauthenticated']);
  });

  it('refuses web.listen from the configuration the same way, and a malformed address', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-web-'));
    const config = path.join(dir, 'arpwarden.yaml');
    fs.writeFileSync(config, 'web:\n  listen: 192.0.2.1:9740\n');
    const r = await runCli(['capture', '-i', 'lo', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^arpwarden: web: refusing to listen on 192\.0\.2\.1:9740 without web\.token/)]);
    const bad = await runCli(['capture', '-i', 'lo', '--web', 'nowhere']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['arpwarden: --web: "nowhere" is not HOST:PORT (e.g. 127.0.0.1:9740, [::1]:9740)']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a web.token_env that is not set in the environment: one line, exit 2, before capturing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-web-'));
    const config = path.join(dir, 'arpwarden.yaml');
    fs.writeFileSync(config, 'web:\n  listen: 127.0.0.1:9740\n  token_env: ARPWARDEN_TEST_UNSET_WEB_TOKEN\n');
    const r = await runCli(['capture', '-i', 'lo', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['arpwarden: web.token_env: ARPWARDEN_TEST_UNSET_WEB_TOKEN is not set in the environment']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!root && !process.env.CI)('with web.token, over a real socket: /healthz open, every other route 401 without the token or with a wrong one, 200 with it', async () => {
    const port = await freePort();
    const token = 'a-capture-web-test-token-0123456789';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-web-'));
    const config = path.join(dir, 'arpwarden.yaml');
    fs.writeFileSync(config, `web:\n  listen: 127.0.0.1:${port}\n  token: ${token}\n`);
    const statuses: Record<string, number> = {};
    const get = async (route: string, auth?: string): Promise<number> => {
      const res = await fetch(`http://127.0.0.1:${port}${route}`, auth === undefined ? {} : { headers: { authorization: auth } });
      await res.arrayBuffer();
      return (statuses[`${route} ${auth ?? 'none'}`] = res.status);
    };
    let failure: unknown = null;
    // asked once it listens (a loaded machine starts it late), then stopped as systemd does; --seconds is a backstop
    const r = await runCli(['capture', '-i', 'lo', '--inventory', 'fixtures/inventory.yaml', '--config', config, '--seconds', '30'], {
      onSpawn: (kill) => {
        void (async () => {
          await waitFor('the web API', () => get('/healthz').then(() => true, () => false), 25_000, 100);
          for (const route of ['/api/incidents', '/api/stats', '/metrics']) {
            await get(route);
            await get(route, `Bearer ${token}x`);
            await get(route, `Bearer ${token}`);
          }
        })().catch((e: unknown) => { failure = e; }).finally(() => kill('SIGTERM'));
      },
    });
    expect(failure).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`arpwarden: web API on http://127.0.0.1:${port}/ (bearer token required)`);
    const want: Record<string, number> = { '/healthz none': 200 };
    for (const route of ['/api/incidents', '/api/stats', '/metrics']) {
      Object.assign(want, { [`${route} none`]: 401, [`${route} Bearer ${token}x`]: 401, [`${route} Bearer ${token}`]: 200 });
    }
    expect(statuses).toEqual(want);
  });

  it.skipIf(!root && !process.env.CI)('serves the API while capturing on the loopback device, and stops with the capture', async () => {
    const port = await freePort();
    const seen: { health?: unknown; incidents?: unknown } = {};
    let failure: unknown = null;
    // asked once it listens (a loaded machine starts it late), then stopped (SIGTERM); --seconds is a backstop
    const r = await runCli(['capture', '-i', 'lo', '--inventory', 'fixtures/inventory.yaml', '--web', `127.0.0.1:${port}`, '--seconds', '30'], {
      onSpawn: (kill) => {
        void (async () => {
          await waitFor('the web API', () => fetch(`http://127.0.0.1:${port}/healthz`).then(async (res) => { seen.health = await res.json(); return true; }, () => false), 25_000, 100);
          seen.incidents = await (await fetch(`http://127.0.0.1:${port}/api/incidents`)).json();
        })().catch((e: unknown) => { failure = e; }).finally(() => kill('SIGTERM'));
      },
    });
    expect(failure).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`arpwarden: web API on http://127.0.0.1:${port}/`);
    expect(seen.health).toMatchObject({ up: true });
    expect(seen.incidents).toEqual({ incidents: [], history: 1000 });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
