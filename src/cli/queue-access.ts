import type { Redis } from 'ioredis';
import { UserError } from '../common/user-error.js';
import type { Config } from '../config/schema.js';
import { connectOrFail } from '../queue/redis.js';

/** `queue.redis_url`, or the one-line error of a command that needs Redis. */
export function requireRedisUrl(config: Config, configFile: string | undefined, what: string): string {
  const url = config.queue.redis_url;
  if (url === undefined) {
    throw new UserError(`${what} needs Redis: set queue.redis_url in ${configFile ?? 'the configuration (--config FILE)'}`);
  }
  return url;
}

/** Connects for a command-line tool: fails at once with `redis URL: reason`. */
export async function cliRedis(config: Config, configFile: string | undefined, what: string): Promise<Redis> {
  return connectOrFail(requireRedisUrl(config, configFile, what));
}
