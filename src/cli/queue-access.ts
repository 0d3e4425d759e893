import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { connectOrFail, requireRedisUrl, sentinelOf } from '../email/queue/redis.js';

/** Connects for a command-line tool: fails at once with `redis URL: reason`. */
export async function cliRedis(config: Config, configFile: string | undefined, what: string): Promise<Redis> {
  return connectOrFail(requireRedisUrl(config, configFile, what), sentinelOf(config.queue));
}
