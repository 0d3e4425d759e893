/** An open incident saved to the state and read back at the next start keeps what it says of itself. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVENTORY } from '../../fixtures/expected-incidents.js';
import { FileSource } from '../capture/file-source.js';
import { defaultConfig } from '../config/schema.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import { vlanKey, vlanLabel } from '../decode/vlan-key.js';
import { parseState, STATE_VERSION } from '../state/daemon-state.js';
import { restoreIncident, saveIncident } from './saved-incident.js';

describe('a saved incident', () => {
  it('opened by persistence (fixtures/captures/case1a-block-netmask.pcap: 192.0.2.15, once a minute): the rule\'s figures survive the state file; the threshold\'s incident has none', async () => {
    const config = defaultConfig();
    const run = await replayFile(new FileSource(path.join(import.meta.dirname, '../../fixtures/captures/case1a-block-netmask.pcap')), config, loadInventory(INVENTORY));
    const incidents = run.detection!.incidents!;
    const text = JSON.stringify({ version: STATE_VERSION, interface: 'eth0', saved_at: 'now', packet_time: 0, incidents: incidents.map(saveIncident), sinks: {} });
    const parsed = parseState(text);
    if (!('state' in parsed)) throw new Error(parsed.problem);
    const back = parsed.state.incidents.map((s) => restoreIncident(s, config.detector.samples).incident);
    const byIp = new Map(back.map((i) => [i.ip, i]));
    expect(byIp.get(0xc000020f)?.openedByPersistence).toEqual({ periods: 5, periodSeconds: 60, horizonSeconds: 1800 });
    expect(byIp.get(0xc0000205)?.openedByPersistence).toBeUndefined();
  });

  it('on a QinQ VLAN: both tags survive the state file (its key is outside 0-4095)', async () => {
    const config = defaultConfig();
    const run = await replayFile(new FileSource(path.join(import.meta.dirname, '../../fixtures/captures/case1a-block-netmask.pcap')), config, loadInventory(INVENTORY));
    const saved = run.detection!.incidents!.map((i) => ({ ...saveIncident(i), vlan: vlanKey(2, 4095, 100) }));
    const parsed = parseState(JSON.stringify({ version: STATE_VERSION, interface: 'eth0', saved_at: 'now', packet_time: 0, incidents: saved, sinks: {} }));
    if (!('state' in parsed)) throw new Error(parsed.problem);
    const back = parsed.state.incidents.map((s) => restoreIncident(s, config.detector.samples).incident);
    expect(back.map((i) => vlanLabel(i.vlan))).toEqual(saved.map(() => '4095.100'));
  });

  it('of a portable block (fixtures/captures/portable-block-unusable.pcap): the block\'s senders seen survive, so its email after a restart still suggests a free address', async () => {
    const config = defaultConfig();
    const run = await replayFile(new FileSource(path.join(import.meta.dirname, '../../fixtures/captures/portable-block-unusable.pcap')), config, loadInventory(INVENTORY));
    const incidents = run.detection!.incidents!.filter((i) => i.caseId === 'portable-block-unusable');
    expect(incidents.length).toBeGreaterThan(0);
    const parsed = parseState(JSON.stringify({ version: STATE_VERSION, interface: 'eth0', saved_at: 'now', packet_time: 0, incidents: incidents.map(saveIncident), sinks: {} }));
    if (!('state' in parsed)) throw new Error(parsed.problem);
    const back = parsed.state.incidents.map((s) => restoreIncident(s, config.detector.samples).incident);
    expect(back.map((i) => i.blockSenders)).toEqual(incidents.map((i) => i.blockSenders));
    expect(back[0].blockSenders).toContain(0xc6336442); // 198.51.100.66, a VM
  });

  it('its last evidence by persistence alone survives (persistent_at), and a state without it reads as before', async () => {
    const run = await replayFile(new FileSource(path.join(import.meta.dirname, '../../fixtures/captures/case1a-block-netmask.pcap')), defaultConfig(), loadInventory(INVENTORY));
    const inc = run.detection!.incidents![0];
    const parsed = parseState(JSON.stringify({ version: STATE_VERSION, interface: 'eth0', saved_at: 'now', packet_time: 0, incidents: [saveIncident(inc, 1234), saveIncident(inc)], sinks: {} }));
    if (!('state' in parsed)) throw new Error(parsed.problem);
    expect(parsed.state.incidents.map((s) => restoreIncident(s, 10).persistentAt)).toEqual([1234, undefined]);
  });
});
