import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it.skipIf(!root && !process.env.CI)('serves the API while capturing on the loopback device, and stops with the capture', async () => {
    const port = await freePort();
    const seen: { health?: unknown; incidents?: unknown } = {};
    const r = await runCli(['capture', '-i', 'lo', '--inventory', 'fixtures/inventory.yaml', '--web', `127.0.0.1:${port}`, '--seconds', '8'], {
      onSpawn: () => {
        // asked until it answers: on a loaded machine the CLI takes more than 2 s to listen
        void (async () => {
          for (let i = 0; i < 60 && seen.health === undefined; i++) {
            await new Promise((res) => setTimeout(res, 100));
            seen.health = await fetch(`http://127.0.0.1:${port}/healthz`).then((x) => x.json(), () => undefined);
          }
          seen.incidents = await (await fetch(`http://127.0.0.1:${port}/api/incidents`)).json();
        })();
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`arpwarden: web API on http://127.0.0.1:${port}/`);
    expect(seen.health).toMatchObject({ up: true });
    expect(seen.incidents).toEqual({ incidents: [] });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
