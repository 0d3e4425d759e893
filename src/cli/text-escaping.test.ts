import { Writable } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../capture/file-source.js';
import { parseIp } from '../common/addr.js';
import { defaultConfig } from '../config/schema.js';
import type { Incident } from '../incidents/incident.js';
import { describeIp } from '../inventory/describe-ip.js';
import { loadInventory } from '../inventory/load.js';
import { replayFile } from '../pipeline/replay.js';
import { StreamSink } from '../sinks/stream-sink.js';
import { textLogger } from '../telemetry/logger.js';
import { incidentsText } from './incidents-output.js';

/** Terminal escapes, a forged log line, a bidi override: what must never reach a terminal raw. */
const HOSTILE = 'Evil\u001b[2J\u001b]0;owned\u0007\r\narpwarden: reloaded fake\u202e';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]|\n(?!$)/;

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/**
 * The schema refuses such strings in an inventory file; these formatters must not depend on it
 * (an inventory from elsewhere, a later schema): the strings are planted after the load.
 */
async function hostileRun(): Promise<{ incidents: readonly Incident[]; describe: string[] }> {
  const inv = loadInventory(path.join(import.meta.dirname, '../../fixtures/inventory.yaml'));
  const c = inv.customers.get('c-77')!;
  c.name = HOSTILE;
  c.email = `x${HOSTILE}@example.net`;
  c.id = `c-77${HOSTILE}`;
  const run = await replayFile(new FileSource(path.join(import.meta.dirname, '../../fixtures/captures/case1-alias-netmask.pcap')), defaultConfig(), inv);
  return { incidents: run.detection!.incidents!, describe: describeIp(inv, parseIp('198.51.100.7')!) };
}

describe('control characters in inventory strings are escaped in every text output', () => {
  it('explain\'s inventory lines, the incidents table and the stream sink\'s lines', async () => {
    const { incidents, describe } = await hostileRun();
    expect(incidents.some((i) => i.verdict.customer?.name === HOSTILE)).toBe(true);
    const customerLine = describe.find((l) => l.startsWith('  customer: '))!;
    expect(customerLine).toContain('Evil\\u001b[2J\\u001b]0;owned\\u0007\\r\\narpwarden: reloaded fake\\u202e');
    for (const l of describe) expect(l).not.toMatch(RAW);
    const table = incidentsText(incidents);
    expect(table).toContain('c-77Evil\\u001b[2J');
    for (const l of table.split('\n')) expect(l).not.toMatch(RAW);
    const out = new Collect();
    const sink = new StreamSink(out, 'text');
    for (const i of incidents) sink.accept({ kind: 'opened', incident: i });
    expect(out.text).toContain('customer c-77Evil\\u001b[2J');
    expect(out.text.split('\n').filter((l) => l !== '')).toHaveLength(incidents.length);
    for (const l of out.text.split('\n')) expect(l).not.toMatch(RAW);
  });

  it('log lines: message and fields', () => {
    const out = new Collect();
    textLogger(out).warn(`kept the last good inventory: ${HOSTILE}`, { customer: HOSTILE });
    expect(out.text.endsWith('\n')).toBe(true);
    expect(out.text.slice(0, -1)).not.toMatch(RAW);
    expect(out.text).toContain('kept the last good inventory: Evil\\u001b[2J');
  });
});
