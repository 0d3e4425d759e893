import { UserError } from '../common/user-error.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ipArgument, ipToString, parseIp } from '../common/addr.js';
import { type IpRole, isRoutedRole } from '../inventory/inventory-index.js';
import { type MuteTarget, MuteStore } from '../email/policy/mute-store.js';
import { QueueKeys } from '../email/queue/keys.js';
import { closeRedis, redisUserError } from '../email/queue/redis.js';
import type { Redis } from 'ioredis';
import { releaseDeferred } from './deferred-jobs.js';
import { cliRedis, operatorConfigFile } from './queue-access.js';
import { printable } from '../common/printable.js';

interface MuteOpts { config?: string; hours?: number; inventory?: string }

function target(kind: 'customer' | 'ip', value: string): MuteTarget {
  if (kind === 'customer') return { kind, id: value };
  // stored as the pipeline prints it, or the mute would never match
  return { kind, ip: ipToString(ipArgument(value, 'ip')) };
}

const describe = (t: MuteTarget): string => (t.kind === 'customer' ? `customer ${printable(t.id)}` : `ip ${t.ip}`);

async function withMutes<T>(opts: MuteOpts, what: string, fn: (m: MuteStore, config: Config, redis: Redis) => Promise<T>): Promise<T> {
  const file = operatorConfigFile(opts.config);
  const config = loadConfig(file);
  const redis = await cliRedis(config, file, what);
  try {
    return await fn(new MuteStore(redis, new QueueKeys(config.queue.name)), config, redis);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw redisUserError(config.queue.redis_url!, e);
  } finally {
    await closeRedis(redis);
  }
}

/**
 * A mute of a customer or an IP the inventory does not know mutes nobody (a typo): with --inventory it is
 * refused; without, the command says it was not checked.
 */
async function checkKnown(t: MuteTarget, inventoryFile: string | undefined): Promise<void> {
  if (inventoryFile === undefined) return;
  const { loadInventory } = await import('../inventory/load.js');
  const inv = loadInventory(inventoryFile);
  if (t.kind === 'customer') {
    if (!inv.customers.has(t.id)) throw new UserError(`mute customer ${printable(t.id)}: no such customer in ${inventoryFile} (a typo would mute nobody)`);
    return;
  }
  const ip = parseIp(t.ip)!;
  const role: IpRole = { failover: undefined, block: undefined, portable: undefined };
  inv.roleOf(ip, role);
  if (!isRoutedRole(role) && inv.serversByIp.get(ip) === undefined) {
    throw new UserError(`mute ip ${t.ip}: no server, failover IP or block of ${inventoryFile} holds it (a typo would mute nobody)`);
  }
}

/** `arpwarden mute customer ID|ip IP [--hours N] [--inventory INV]`: no email for it (maintenance) until unmuted or N hours. */
export async function muteCommand(kind: 'customer' | 'ip', value: string, opts: MuteOpts, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const t = target(kind, value);
  await checkKnown(t, opts.inventory);
  await withMutes(opts, 'mute', (m) => m.mute(t, opts.hours ?? null));
  out.write(`muted ${describe(t)}${opts.hours === undefined ? ' until unmuted' : ` for ${opts.hours} h`}\n`);
  // after the mute, so that an error stays one line
  if (opts.inventory === undefined) err.write(`arpwarden: ${describe(t)} was not checked against an inventory (--inventory INV.yaml checks it: a typo mutes nobody)\n`);
  return 0;
}

export async function unmuteCommand(kind: 'customer' | 'ip', value: string, opts: MuteOpts, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const t = target(kind, value);
  const { was, released } = await withMutes(opts, 'unmute', async (m, config, redis) => {
    const was = await m.unmute(t);
    return { was, released: was ? await releaseDeferred(redis, config.queue, t) : 0 };
  });
  out.write(was ? `unmuted ${describe(t)}${released > 0 ? `; ${released} deferred email${released === 1 ? ' goes' : 's go'} now` : ''}\n` : `${describe(t)} was not muted\n`);
  return 0;
}

export async function muteListCommand(opts: MuteOpts, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { entries, config } = await withMutes(opts, 'mute list', async (m, config) => ({ entries: await m.list(), config }));
  for (const c of config.mute.customers) out.write(`customer:${printable(c)}  (configuration)\n`);
  for (const ip of config.mute.ips) out.write(`ip:${ip}  (configuration)\n`);
  for (const e of entries) out.write(`${printable(e.target)}  ${e.expiresInSeconds === null ? 'until unmuted' : `${(e.expiresInSeconds / 3600).toFixed(1)} h left`}\n`);
  if (entries.length + config.mute.customers.length + config.mute.ips.length === 0) out.write('nothing muted\n');
  return 0;
}
