import { describe, expect, it } from 'vitest';
import { captureMetricTags } from './capture.js';

describe('a capture daemon\'s metric tags', () => {
  it('two span ports of one host sharing one configuration write apart: host and interface on every point', () => {
    const eth1 = captureMetricTags(undefined, 'span1', 'eth1', null);
    const eth2 = captureMetricTags(undefined, 'span1', 'eth2', null);
    expect(eth1).toEqual({ host: 'span1', interface: 'eth1' });
    expect(eth2).not.toEqual(eth1);
    // two routers' daemons on the same interface name
    expect(captureMetricTags(undefined, 'span2', 'eth1', null)).not.toEqual(eth1);
  });

  it('a --vlans shard adds its list; the configuration\'s tags win, as before', () => {
    expect(captureMetricTags({ router: 'par-1' }, 'span1', 'eth1', '1-1999,untagged')).toEqual({ host: 'span1', interface: 'eth1', vlans: '1-1999,untagged', router: 'par-1' });
    expect(captureMetricTags({ vlans: 'low', host: 'par-1-span' }, 'span1', 'eth1', '1-1999')).toEqual({ host: 'par-1-span', interface: 'eth1', vlans: 'low' });
  });
});
