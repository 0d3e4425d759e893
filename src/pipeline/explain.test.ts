import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { arpRequest, TPID_8021Q, vlanTag } from '../../fixtures/lib/frames.js';
import { writeCapture } from '../../fixtures/lib/pcap-writer.js';
import { FileSource } from '../capture/file-source.js';
import { Classifier } from '../classify/classify.js';
import { defaultConfig } from '../config/schema.js';
import { parseIp } from '../decode/addr.js';
import { type Signal, SignalKind } from '../detect/signal.js';
import { loadInventory } from '../inventory/load.js';
import { explainIp, NOT_COUNTED_FOR_ROUTED } from './explain.js';
import { fileTempDir } from '../../test/helpers/temp-dir.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0) * 1000;
const tags = [vlanTag(TPID_8021Q, 100)];
const inv = loadInventory('fixtures/inventory.yaml');
const config = defaultConfig();
const ip = (s: string): number => parseIp(s)!;
const tmp = fileTempDir('aw-explain-');

/** `n` requests a second apart from `sender` (MAC `mac`) for `target`, on VLAN 100. */
async function asks(name: string, sender: string, mac: string, target: string, n: number): Promise<string> {
  const file = path.join(tmp, name);
  const records = Array.from({ length: n }, (_, i) => ({ tsMicros: T0 + i * 1_000_000, frame: arpRequest({ sha: mac, spa: sender, tpa: target, tags, pad: true }) }));
  await writeCapture(file, 'pcap', records, { linktype: 1 });
  return file;
}

const routedRow = (rules: Awaited<ReturnType<typeof explainIp>>['rules']) => rules.find((r) => r.signal === 'routed_ip_target')!;

describe('explain: routed_ip_target, defined for senders that are no customer\'s routed IP', () => {
  it('from a failover IP (198.51.100.7 asking for the failover 198.51.100.22): not counted, not crossed, not in the timeline notes', async () => {
    const file = await asks('from-failover.pcap', '198.51.100.7', '0c:c4:7a:11:22:33', '198.51.100.22', 15);
    const ex = await explainIp(new FileSource(file), config, inv, ip('198.51.100.7'));
    const row = routedRow(ex.rules);
    expect(row.maxCount).toBe(15);
    expect(row.crossedAt).toBeNull();
    expect(row.notCounted).toBe(NOT_COUNTED_FOR_ROUTED);
    expect(ex.timeline.every((t) => t.notes.every((n) => !n.includes('routed_ip_target')))).toBe(true);
    // what classify does with such a signal: no case from it
    const signal: Signal = {
      kind: SignalKind.ROUTED_IP_TARGET, ip: ip('198.51.100.7'), mac: 0x0cc47a112233, previousMac: 0, distinctMacs: 1, vlan: 100, tsMicros: T0, count: 15, threshold: 10, periods: 0,
      packet: null as unknown as Signal['packet'],
    };
    expect(new Classifier(inv, config.detector).caseOf(signal)).toBeNull();
  });

  it('from a server\'s main IP (203.0.113.10 asking for the failover 198.51.100.22): counted and crossed', async () => {
    const file = await asks('from-server.pcap', '203.0.113.10', '0c:c4:7a:11:22:33', '198.51.100.22', 15);
    const ex = await explainIp(new FileSource(file), config, inv, ip('203.0.113.10'));
    const row = routedRow(ex.rules);
    expect(row.notCounted).toBeNull();
    expect(row.crossedAt).toBe(T0 + 9_000_000);
    expect(ex.timeline[9].notes.join('; ')).toMatch(/routed_ip_target 10\/10/);
  });
});

describe('explain shows persistence next to the per-window count (fixtures/captures/case1a-block-netmask.pcap: the block broadcast 192.0.2.15 used as sender every minute or so)', () => {
  it('unusable_address stays under its window threshold and becomes persistent after 5 distinct minutes', async () => {
    const ex = await explainIp(new FileSource('fixtures/captures/case1a-block-netmask.pcap'), config, inv, ip('192.0.2.15'));
    const row = ex.rules.find((r) => r.signal === 'unusable_address')!;
    expect(row.crossedAt).toBeNull();
    expect(row.maxCount).toBeLessThan(row.threshold);
    expect(row.persistence).toMatchObject({ needed: 5 });
    expect(row.persistence!.maxPeriods).toBeGreaterThanOrEqual(5);
    expect(row.persistence!.reachedAt).toBe(ex.incidents[0].openedAt);
    // a signal that is not wrong by itself has no persistence row
    expect(ex.rules.find((r) => r.signal === 'excessive_arp')!.persistence).toBeNull();
  });
});
