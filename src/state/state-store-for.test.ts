import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema.js';
import { RedisStateStore } from './redis-state.js';
import { StateFile } from './state-file.js';
import { stateStoreFor } from './state-store-for.js';
import { TakeOverStore } from './take-over.js';

const base = { iface: 'eth1', env: {}, host: 'span-box' };

describe('where the state is kept', () => {
  it('a file given explicitly wins, even with a queue; else Redis with a queue, keyed by instance and interface', async () => {
    const c = defaultConfig();
    c.queue.redis_url = 'redis://:secret@127.0.0.1:1';
    c.state.wait_seconds = 0;
    const flag = stateStoreFor(c, { ...base, file: '/x/state.json' });
    expect(flag).toBeInstanceOf(StateFile);
    expect(flag?.where).toBe('state file /x/state.json');

    const redis = stateStoreFor(c, base);
    expect(redis).toBeInstanceOf(RedisStateStore);
    expect(redis?.where).toBe('state in redis redis://:***@127.0.0.1:1 key arpwarden:{arpwarden-email}:state:span-box:eth1');
    await redis?.close();

    c.state.instance = 'vlans-low';
    const named = stateStoreFor(c, base);
    expect((named as RedisStateStore).key).toBe('arpwarden:{arpwarden-email}:state:vlans-low:eth1');
    await named?.close();

    // under systemd, the unit's state file of the days without a queue is taken over
    const over = stateStoreFor(c, { ...base, env: { STATE_DIRECTORY: '/var/lib/arpwarden' } });
    expect(over).toBeInstanceOf(TakeOverStore);
    expect(over?.where).toBe('state in redis redis://:***@127.0.0.1:1 key arpwarden:{arpwarden-email}:state:vlans-low:eth1');
    await over?.close();

    c.state.file = '/y/state.json';
    expect(stateStoreFor(c, base)?.where).toBe('state file /y/state.json');
  });

  it('without a queue: the unit\'s state directory ($STATE_DIRECTORY, the first of several), else nowhere', () => {
    const c = defaultConfig();
    expect(stateStoreFor(c, { ...base, env: { STATE_DIRECTORY: '/var/lib/arpwarden:/var/lib/other' } })?.where).toBe('state file /var/lib/arpwarden/capture-eth1.json');
    expect(stateStoreFor(c, { ...base, env: { STATE_DIRECTORY: '/var/lib/arpwarden' }, part: 'vlans-100-199' })?.where).toBe('state file /var/lib/arpwarden/capture-eth1.vlans-100-199.json');
    expect(stateStoreFor(c, base)).toBeNull();
  });
});
