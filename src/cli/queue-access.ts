import { existsSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { connectOrFail, requireRedisUrl, sentinelOf } from '../email/queue/redis.js';

/** The configuration scripts/install.sh puts in place, the one the units run with. */
export const INSTALLED_CONFIG = '/etc/arpwarden/arpwarden.yaml';

/**
 * The operator commands' configuration: `--config`, else the installed one when it is there, so that on the daemon's
 * own box `arpwarden queue status` talks to the daemon's queue without being told where it is.
 */
export function operatorConfigFile(given: string | undefined, installed: string = INSTALLED_CONFIG): string | undefined {
  return given ?? (existsSync(installed) ? installed : undefined);
}

/** Connects for a command-line tool: fails at once with `redis URL: reason`. */
export async function cliRedis(config: Config, configFile: string | undefined, what: string): Promise<Redis> {
  return connectOrFail(requireRedisUrl(config, configFile, what), sentinelOf(config.queue));
}
