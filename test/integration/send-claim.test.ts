import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueKeys } from '../../src/email/queue/keys.js';
import { closeRedis, redisClient } from '../../src/email/queue/redis.js';
import { RedisSendClaims } from '../../src/worker/send-claim.js';
import { RedisServer } from './helpers/redis-server.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the sending claim in Redis (real redis-server)', () => {
  let server: RedisServer;
  beforeAll(async () => { server = await RedisServer.start(); });
  afterAll(async () => { await server?.close(); });

  it('one attempt at a time; the marker ends it; an attempt that ended unknown, or a claim that expired, answers maybe-sent until forgotten', async () => {
    const redis = redisClient(server.url, 'worker');
    try {
      const keys = new QueueKeys('claims-test');
      const claims = new RedisSendClaims(redis, keys, 600, 3600, () => new Date('2026-11-02T10:00:00Z'));
      const record = { messageId: '<m@p.example>', sentAt: '2026-11-02T10:00:01.000Z' };

      expect(await claims.claim('j1', 'a')).toEqual({ kind: 'claimed' });
      const busy = await claims.claim('j1', 'b');
      expect(busy.kind).toBe('busy');
      expect(busy.kind === 'busy' && busy.retryInMs).toBeGreaterThan(0);
      expect(await claims.hold('j1', 'a')).toBe(true);
      expect(await claims.hold('j1', 'b')).toBe(false);
      await claims.sent('j1', 'a', record);
      expect(await claims.claim('j1', 'b')).toEqual({ kind: 'sent', record });
      expect(await redis.exists(keys.sending('j1'), keys.attempt('j1'))).toBe(0);

      // nothing went out: another attempt may send
      expect(await claims.claim('j2', 'a')).toEqual({ kind: 'claimed' });
      await claims.unsent('j2', 'a');
      expect(await claims.claim('j2', 'b')).toEqual({ kind: 'claimed' });
      // an attempt that is not the holder cannot release it
      await claims.unsent('j2', 'a');
      expect((await claims.claim('j2', 'c')).kind).toBe('busy');

      // outcome unknown
      expect(await claims.claim('j3', 'a')).toEqual({ kind: 'claimed' });
      await claims.maybeSent('j3', 'a', 'Timeout');
      expect(await claims.claim('j3', 'b')).toEqual({ kind: 'maybe-sent', since: '2026-11-02T10:00:00.000Z', why: 'Timeout' });

      // a worker that died holding the claim: once it expires (600 ms here), maybe-sent
      expect(await claims.claim('j4', 'a')).toEqual({ kind: 'claimed' });
      await sleep(700);
      expect(await claims.claim('j4', 'b')).toMatchObject({ kind: 'maybe-sent', why: expect.stringMatching(/worker stopped before the relay answered/) });

      // queue resend forgets all of it
      await claims.forget('j1');
      await claims.forget('j3');
      expect(await claims.claim('j1', 'z')).toEqual({ kind: 'claimed' });
      expect(await claims.claim('j3', 'z')).toEqual({ kind: 'claimed' });
      expect(await redis.ttl(keys.attempt('j3'))).toBeGreaterThan(3500);
    } finally {
      await closeRedis(redis);
    }
  });
});
