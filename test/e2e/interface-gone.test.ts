/**
 * A live capture whose interface is deleted under it: `arpwarden capture` (the CLI, in a network namespace)
 * must not poll a dead handle forever. It ends with one error line naming the interface and libpcap's
 * reason, prints its summary, and exits 1 within seconds (systemd's Restart=on-failure opens it again).
 * Needs root (see netns.ts); about 3 s.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNetnsUsable, netnsAvailability, NetnsLab, removeStaleNamespaces, type Netns } from './netns.js';

const availability = netnsAvailability();
if (availability.skip) console.warn(availability.reason);

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const CAP_IF = 'awgone0';
const PEER_IF = 'awgone1';

describe.skipIf(availability.skip)('capture when its interface disappears', () => {
  const lab = new NetnsLab('hdecode');
  let cap: Netns;

  beforeAll(async () => {
    await assertNetnsUsable(['arping']);
    await removeStaleNamespaces();
    cap = await lab.namespace('cap');
    const peer = await lab.namespace('peer');
    await lab.veth({ ns: cap, name: CAP_IF, addr: '198.51.100.1/24' }, { ns: peer, name: PEER_IF, addr: '198.51.100.2/24' });
  });

  afterAll(async () => {
    await lab.cleanup();
  });

  it('ends with one line and exit status 1 within seconds, not a deaf capture', async () => {
    const child = cap.spawn([process.execPath, '--import', 'tsx', CLI, 'capture', '-i', CAP_IF, '--seconds', '60', '--format', 'json'],
      { cwd: REPO_ROOT, maxSeconds: 70 });
    let stderr = '';
    let stdout = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.stdout?.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!/capturing on/.test(stderr) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toMatch(/capturing on awgone0/);
    // a few frames first: the capture was working
    await cap.exec(['arping', '-q', '-c', '3', '-w', '1', '-I', CAP_IF, '198.51.100.2'], { allowFailure: true });
    await new Promise((r) => setTimeout(r, 200));
    const deletedAt = Date.now();
    await cap.ip('link', 'del', CAP_IF);
    const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
    const tookMs = Date.now() - deletedAt;
    expect(code).toBe(1);
    expect(tookMs).toBeLessThan(5_000);
    const errors = stderr.split('\n').filter((l) => /failed/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/capture on awgone0 failed after \d+ frames: .+; exiting with status 1/);
    expect(stderr).not.toMatch(/^\s+at /m);
    // the summary still goes out, with the frames seen before the interface went
    const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { event: string; frames: number };
    expect(summary.event).toBe('summary');
    expect(summary.frames).toBeGreaterThan(0);
  }, 40_000);
});
