import { describe, expect, it } from 'vitest';
import { ByteIds } from './byte-ids.js';

describe('ids as bytes', () => {
  it('gives each new id the next row, finds it from other bytes, refuses it twice and joins the column in row order', () => {
    const t = new ByteIds(2);
    const ids = Array.from({ length: 5000 }, (_, i) => `srv-${i.toString(36)}`);
    ids.forEach((id, i) => expect(t.addString(id)).toBe(i));
    expect(t.addString('srv-0')).toBe(-1);
    const line = Buffer.from('  - { ip: 1.2.3.4, server: srv-1z }');
    expect(t.find(line, line.indexOf('srv-1z'), line.indexOf(' }'))).toBe(71);
    expect(t.findString('srv-')).toBe(-1);
    expect(t.findString('srv-00')).toBe(-1);
    expect(t.joined()).toBe(ids.join('\n'));
    expect(new ByteIds().joined()).toBe('');
  });
});
