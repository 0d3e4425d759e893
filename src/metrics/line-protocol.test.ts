import { describe, expect, it } from 'vitest';
import { LineEncoder } from './line-protocol.js';
import type { MetricPoint } from './metric-point.js';

const T = 1_793_610_010_000_000;

describe('LineEncoder: points as InfluxDB line protocol', () => {
  it('one line per point, newline between: measurement, tags in their order, the float field value, the time in µs', () => {
    const points: MetricPoint[] = [
      { measurement: 'arp_vlan_packets_total', tags: { vlan: '110', op: 'request' }, value: 674, timeMicros: T },
      { measurement: 'frames_total', tags: {}, value: 1e6, timeMicros: T + 1 },
      { measurement: 'incidents_open', tags: { case: 'alias-netmask' }, value: 1.5, timeMicros: T + 2 },
    ];
    expect(new LineEncoder().encode(points)).toBe([
      'arp_vlan_packets_total,vlan=110,op=request value=674 1793610010000000',
      'frames_total value=1000000 1793610010000001',
      'incidents_open,case=alias-netmask value=1.5 1793610010000002',
    ].join('\n'));
  });

  it('escapes commas and spaces in a measurement, and commas, equals signs and spaces in tag keys and values, every time', () => {
    const enc = new LineEncoder();
    const p: MetricPoint = { measurement: 'a b,c', tags: { 'the router': 'r=1, east' }, value: 2, timeMicros: T };
    const line = 'a\\ b\\,c,the\\ router=r\\=1\\,\\ east value=2 1793610010000000';
    expect(enc.encode([p, p])).toBe(`${line}\n${line}`);
  });

  it('a frozen label set (built once, given to every snapshot) writes the same series as a fresh one, escapes included', () => {
    const enc = new LineEncoder();
    const tags = Object.freeze({ vlan: '110', site: 'east 1' });
    const frozen = enc.encode([1, 2].map((value) => ({ measurement: 'm', tags, value, timeMicros: T })));
    const fresh = new LineEncoder().encode([1, 2].map((value) => ({ measurement: 'm', tags: { vlan: '110', site: 'east 1' }, value, timeMicros: T })));
    expect(frozen).toBe('m,vlan=110,site=east\\ 1 value=1 1793610010000000\nm,vlan=110,site=east\\ 1 value=2 1793610010000000');
    expect(fresh).toBe(frozen);
    // one label set under two measurements: two series
    expect(enc.encode([{ measurement: 'other', tags, value: 3, timeMicros: T }])).toBe('other,vlan=110,site=east\\ 1 value=3 1793610010000000');
  });

  it('leaves out a tag whose value is empty (line protocol has none: the server would refuse the whole batch)', () => {
    expect(new LineEncoder().encode([{ measurement: 'm', tags: { site: '', op: 'reply' }, value: 0, timeMicros: T }])).toBe('m,op=reply value=0 1793610010000000');
  });

  it('a point with fields of its own (a sender\'s counts) writes them instead of value', () => {
    const p: MetricPoint = { measurement: 'sender_arp', tags: { ip: '192.0.2.7' }, value: Number.NaN, fields: { requests: 12, replies: 3, unresolved: 0.5 }, timeMicros: T };
    expect(new LineEncoder().encode([p])).toBe('sender_arp,ip=192.0.2.7 requests=12,replies=3,unresolved=0.5 1793610010000000');
  });

  it('no points: an empty body', () => {
    expect(new LineEncoder().encode([])).toBe('');
  });

  it('as bytes into its own buffer: the text JavaScript prints for every number, UTF-8 tags, a batch past the first buffer', () => {
    const numbers = [0, -0, 7, -7, 9, 10, 99, 100, 1234567890, -987654321, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, 1.5, -0.25, 1 / 3, 1e-7, 123456.789, Number.MAX_VALUE, Number.MIN_VALUE];
    const points: MetricPoint[] = [];
    for (let i = 0; i < 3000; i++) {
      const n = numbers[i % numbers.length];
      points.push(i % 2 === 0
        ? { measurement: 'm', tags: { site: 'zürich €', n: String(i % 7) }, value: n, timeMicros: T + i }
        : { measurement: 'vlan_arp', tags: Object.freeze({ vlan: String(i % 5) }), value: Number.NaN, fields: { frames: n, requests: i, probes: -n }, timeMicros: T });
    }
    const expected = points.map((p) => {
      const tags = Object.entries(p.tags).map(([k, v]) => `,${k}=${v.replace(/[,= ]/g, '\\$&')}`).join('');
      const fields = p.fields === undefined ? `value=${p.value}` : Object.entries(p.fields).map(([k, v]) => `${k}=${v}`).join(',');
      return `${p.measurement}${tags} ${fields} ${p.timeMicros}`;
    }).join('\n');
    const enc = new LineEncoder();
    const bytes = enc.encodeBytes(points);
    expect(bytes.length).toBeGreaterThan(1 << 16);
    expect(bytes.toString('utf8')).toBe(expected);
    expect(enc.encode(points)).toBe(expected);
  });

  it('its buffer is reused by the next call, unless detached (a request still sending the last bytes keeps them)', () => {
    const enc = new LineEncoder();
    const a = enc.encodeBytes([{ measurement: 'm', tags: {}, value: 1, timeMicros: T }]);
    const text = a.toString();
    enc.encodeBytes([{ measurement: 'x', tags: {}, value: 2, timeMicros: T }]);
    expect(a.toString()).not.toBe(text);
    const b = enc.encodeBytes([{ measurement: 'm', tags: {}, value: 1, timeMicros: T }]);
    enc.detach();
    enc.encodeBytes([{ measurement: 'x', tags: {}, value: 2, timeMicros: T }]);
    expect(b.toString()).toBe(text);
  });
});
