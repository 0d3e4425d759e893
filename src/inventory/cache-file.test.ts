import { expect, it } from 'vitest';
import { inventoryCacheFile } from './cache-file.js';

it('is the configured file, none when false, else in the unit\'s own state directory, else none', () => {
  expect(inventoryCacheFile('/var/cache/inv.cache', { STATE_DIRECTORY: '/var/lib/arpwarden' })).toBe('/var/cache/inv.cache');
  expect(inventoryCacheFile(false, { STATE_DIRECTORY: '/var/lib/arpwarden' })).toBeNull();
  expect(inventoryCacheFile(undefined, { STATE_DIRECTORY: '/var/lib/arpwarden:/var/lib/other' })).toBe('/var/lib/arpwarden/inventory.cache');
  expect(inventoryCacheFile(undefined, { STATE_DIRECTORY: '' })).toBeNull();
  expect(inventoryCacheFile(undefined, {})).toBeNull();
});
