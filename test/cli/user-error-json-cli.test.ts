/**
 * A daemon's user error with JSON logs: its one line is a JSON log line like the others (a journal read with
 * `jq` never stops on a plain one), exit status 2 as ever; with pretty logs, the plain line.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

function jsonLine(stderr: string): Record<string, unknown> {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe('a user error under --log-format json', () => {
  it('capture: one JSON line at level error with the message, exit 2', async () => {
    const r = await runCli(['capture', '--interface', 'nosuch0', '--log-format', 'json']);
    expect(r.code).toBe(2);
    expect(jsonLine(r.stderr)).toMatchObject({ level: 'error', process: 'capture', fatal: true, msg: 'interface nosuch0: no such interface' });
  });

  it('worker: the same (no configuration: the example sender identity is refused)', async () => {
    const r = await runCli(['worker', '--log-format', 'json']);
    expect(r.code).toBe(2);
    expect(jsonLine(r.stderr)).toMatchObject({ level: 'error', process: 'worker', msg: expect.stringMatching(/^worker: email\.from and email\.provider are still the built-in example/) });
  });

  it('under systemd (JOURNAL_STREAM set) JSON is the default: the line is JSON with no flag', async () => {
    const r = await runCli(['capture', '--interface', 'nosuch0'], { env: { ...process.env, JOURNAL_STREAM: '8:12345' } });
    expect(r.code).toBe(2);
    expect(jsonLine(r.stderr)).toMatchObject({ level: 'error', msg: 'interface nosuch0: no such interface' });
  });

  it('--log-format pretty keeps the plain line', async () => {
    const r = await runCli(['capture', '--interface', 'nosuch0', '--log-format', 'pretty'], { env: { ...process.env, JOURNAL_STREAM: '8:12345' } });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: 'arpwarden: interface nosuch0: no such interface\n' });
  });
});
