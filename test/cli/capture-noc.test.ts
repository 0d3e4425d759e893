import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('arpwarden capture with noc.webhook_url', () => {
  it('refuses a noc.webhook_token_env that is not set: one line, exit 2, before capturing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-noc-'));
    const config = path.join(dir, 'arpwarden.yaml');
    fs.writeFileSync(config, 'noc:\n  webhook_url: http://127.0.0.1:9/hooks\n  webhook_token_env: ARPWARDEN_TEST_UNSET_NOC_TOKEN\n');
    const r = await runCli(['capture', '-i', 'lo', '--inventory', 'fixtures/inventory.yaml', '--config', config]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['arpwarden: noc.webhook_token_env: the environment variable ARPWARDEN_TEST_UNSET_NOC_TOKEN is not set']);
  });
});
