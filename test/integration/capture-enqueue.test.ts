import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, removeConfigs, writeConfig } from './helpers/cli.js';
import { arpRequest, sendFrames } from './helpers/inject.js';
import { QueueProbe } from './helpers/queue-probe.js';
import { RedisServer } from './helpers/redis-server.js';
import { INVENTORY, testConfig } from './helpers/setup.js';

const root = process.getuid?.() === 0;

// the capture daemon itself, on the loopback device (it only listens there): root, as in CI
describe.skipIf(!root && !process.env.CI)('arpwarden capture with queue.redis_url: the daemon queues the warning email', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await redis?.close();
    removeConfigs();
  });

  it('a failover IP with a wide netmask on the wire → one job on the queue; SIGTERM hands it over before exit', async () => {
    const config = testConfig(redis.url, 25);
    const probe = new QueueProbe(config);
    const capture = new CliProcess(['capture', '-i', 'lo', '--inventory', INVENTORY, '--config', writeConfig(config), '--format', 'json']);
    try {
      await capture.waitOutput(/capturing on lo/);
      // srv-1042's alias 198.51.100.7 asks for neighbours it believes on-link, and nobody answers (case 1)
      const frames = Array.from({ length: 14 }, (_, i) => arpRequest('0c:c4:7a:11:22:33', 100, '198.51.100.7', `198.51.100.${40 + i}`));
      await sendFrames('lo', frames, 50);
      await capture.waitOutput(/"event":"incident_opened".*"case":"alias-netmask"/);
      capture.kill('SIGTERM');
      expect((await capture.exited).code).toBe(0);
      expect(capture.output).toMatch(/^arpwarden: emails: 1 enqueued on test-\S+ at redis:\/\/127\.0\.0\.1:\d+ \(cooldown 0, muted 0, dropped 0\)$/m);
      const [job] = await probe.queue.getJobs(['waiting']);
      expect(job.data).toMatchObject({ caseId: 'alias-netmask', ip: '198.51.100.7', customer: { id: 'c-77', email: 'ops@example.net' },
        remediation: { netmask: '255.255.255.255', broadcast: '198.51.100.7' } });
      expect(job.data.evidence.samples[0]).toMatch(/Request who-has 198\.51\.100\.4\d tell 198\.51\.100\.7, length 46$/);
    } finally {
      capture.kill('SIGKILL');
      await probe.close();
    }
  });
});
