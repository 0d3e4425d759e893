import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { configChanges } from './config-reload.js';

describe('configChanges: what a SIGHUP takes of the configuration', () => {
  const base = configSchema.parse({});
  it('a threshold is live; the window, the web address and the queue need a restart; equal files change nothing', () => {
    expect(configChanges(base, configSchema.parse({}))).toEqual({ thresholds: [], needRestart: [] });
    const next = configSchema.parse({
      detector: { window_seconds: 120, thresholds: { unresolved_arp: base.detector.thresholds.unresolved_arp + 5 } },
      web: { listen: '127.0.0.1:9999' },
      queue: { redis_url: 'redis://127.0.0.1:6390/0' },
    });
    const c = configChanges(base, next);
    expect(c.thresholds).toEqual([`detector.thresholds.unresolved_arp ${base.detector.thresholds.unresolved_arp} -> ${base.detector.thresholds.unresolved_arp + 5}`]);
    expect(c.needRestart).toEqual(['detector.window_seconds', 'queue.redis_url', 'web.listen']);
  });
});
