/**
 * The alias-netmask capture moved to 2040 (pcap: seconds past 2^31) and to 2107 (pcapng, nanoseconds: past
 * what pcap's seconds hold) gives the same incidents as the original, at the shifted times, resolved as there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayIncidents } from '../../fixtures/expected-incidents.js';
import { allCaptures, FIXTURES_DIR, generate } from '../../fixtures/generate.js';
import { TIME_SHIFTED_DIR, timeShiftedCaptures } from '../../fixtures/lib/time-shifted.js';
import { FileSource } from '../../src/capture/file-source.js';
import { incidentJson } from '../../src/cli/incidents-output.js';
import { defaultConfig } from '../../src/config/schema.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { runCli } from '../cli/run-cli.js';

const shifted = timeShiftedCaptures(allCaptures());
const INVENTORY = path.join(FIXTURES_DIR, 'inventory.yaml');
const fileOf = (name: string): string => path.join(FIXTURES_DIR, TIME_SHIFTED_DIR, name);

/** Every ISO and tcpdump time in the JSON moved back by `micros`; the ids' hashes (of the opening time) blanked. */
function shiftedBack(value: unknown, micros: number): unknown {
  const text = JSON.stringify(value)
    .replace(/(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)\.(\d{6})(Z?)/g, (_, d: string, t: string, us: string, z: string) => {
      const ms = Date.parse(`${d}T${t}Z`) - micros / 1000;
      const iso = new Date(ms).toISOString().slice(0, 19);
      return `${iso.slice(0, 10)}${z === 'Z' ? 'T' : ' '}${iso.slice(11)}.${us}${z}`;
    })
    .replace(/("id":"[^"]*-)[0-9a-f]{10}"/g, '$1HASH"');
  return JSON.parse(text);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-hdecode-shifted-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('captures moved to 2040 and 2107', () => {
  it('are what the generator writes, byte for byte', async () => {
    await generate(tmp);
    for (const t of shifted) {
      expect(fs.readFileSync(path.join(tmp, TIME_SHIFTED_DIR, t.spec.file)).equals(fs.readFileSync(fileOf(t.spec.file)))).toBe(true);
    }
  });

  it.each(shifted.map((t) => [t.spec.file, t] as const))('%s gives the original\'s incidents at the shifted times', async (file, t) => {
    const original = await replayIncidents(t.from);
    expect(original.length).toBeGreaterThan(0);
    const run = await replayFile(new FileSource(fileOf(file)), defaultConfig(), loadInventory(INVENTORY));
    const incidents = run.detection!.incidents!.map(incidentJson);
    expect(run.summary.malformed()).toEqual({});
    expect(incidents.map((i) => i.opened_at.slice(0, 4))).toEqual(original.map(() => String(new Date(Date.parse(original[0].opened_at) + t.shiftMicros / 1000).getUTCFullYear())));
    expect(shiftedBack(incidents, t.shiftMicros)).toEqual(shiftedBack(original, 0));
    for (const i of incidents) expect(i.resolved_at).not.toBeNull();
  });

  it('replay --format json through the CLI: exit 0, first and last packet in 2107', async () => {
    const r = await runCli(['replay', fileOf('case1-alias-netmask-2107.pcapng'), '--inventory', INVENTORY, '--format', 'json', '--no-progress']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { first_packet: string; last_packet: string };
    expect(doc.first_packet.startsWith('2107-11-02T09:00')).toBe(true);
    expect(doc.last_packet.startsWith('2107-11-02T09:1')).toBe(true);
  });
});
