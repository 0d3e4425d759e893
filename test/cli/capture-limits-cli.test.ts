import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('arpwarden capture: arguments the addon would cut or wrap', () => {
  it('a --filter over the limit: one line, exit 2, before any interface opens', async () => {
    const filter = Array.from({ length: 4000 }, (_, i) => `not host 192.0.2.${i % 250}`).join(' and ');
    const r = await runCli(['capture', '-i', 'lo', '--seconds', '1', '--filter', filter]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^arpwarden: filter: [\d,]+ bytes, more than the 65,536 a capture filter may have$/)]);
  });

  it('--buffer-mib 2048 (2^31 bytes, a wrapped C int): refused, exit 2', async () => {
    const r = await runCli(['capture', '-i', 'lo', '--seconds', '1', '--buffer-mib', '2048']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--buffer-mib 2048/);
  });
});
