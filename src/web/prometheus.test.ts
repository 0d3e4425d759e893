import { describe, expect, it } from 'vitest';
import { FileSource } from '../capture/file-source.js';
import { defaultConfig } from '../config/schema.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { prometheusText } from './prometheus.js';

describe('/metrics has the families InfluxDB gets (fixtures/captures/case1-alias-netmask.pcap: VLAN 100, unanswered requests)', () => {
  it('ARP per VLAN and op, unresolved per VLAN and the per-sender series, named arpwarden_..., counters ending in _total', async () => {
    const t = new Telemetry();
    await replayFile(new FileSource('fixtures/captures/case1-alias-netmask.pcap'), defaultConfig(), loadInventory('fixtures/inventory.yaml'), [], t);
    const text = await prometheusText(t.snapshot());
    expect(text).toContain('# TYPE arpwarden_arp_vlan_packets_total counter');
    expect(text).toMatch(/^arpwarden_arp_vlan_packets_total\{vlan="100",op="request"\} [1-9]\d*$/m);
    expect(text).toContain('# TYPE arpwarden_arp_unresolved_total counter');
    expect(text).toMatch(/^arpwarden_arp_unresolved_total\{vlan="100"\} [1-9]\d*$/m);
    expect(text).toMatch(/^arpwarden_sender_arp_packets_total\{ip="198\.51\.100\.7",op="request"\} [1-9]\d*$/m);
    expect(text).toContain('# TYPE arpwarden_sender_unresolved gauge');
    for (const m of text.matchAll(/^# TYPE (\S+) counter$/gm)) expect(m[1]).toMatch(/^arpwarden_\w+_total$/);
  });
});
