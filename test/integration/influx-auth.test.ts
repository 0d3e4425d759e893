import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { Influxd } from './helpers/influxd.js';
import { capturePath } from './helpers/setup.js';

// a real influxd with authentication on: an admin, and a user who may only write into one database that exists
const ADMIN = { name: 'admin', password: 'admin-pw' };
const WRITER = { name: 'writer', password: 'writer-pw' };
let influxd: Influxd;
beforeAll(async () => {
  influxd = await Influxd.start({ auth: true });
  await influxd.admin([`CREATE USER ${ADMIN.name} WITH PASSWORD '${ADMIN.password}' WITH ALL PRIVILEGES`]);
  await influxd.admin(['CREATE DATABASE noc', `CREATE USER ${WRITER.name} WITH PASSWORD '${WRITER.password}'`, `GRANT WRITE ON noc TO ${WRITER.name}`], ADMIN);
});
afterAll(async () => { await influxd?.close(); });

const url = (user: { name: string; password: string }, db: string): string => `http://${user.name}:${user.password}@127.0.0.1:${influxd.port}/${db}`;
const CAPTURE = capturePath('case1-alias-netmask.pcap');

describe('replay --influx into a real influxd with authentication (the database check: CREATE DATABASE, else SHOW DATABASES)', () => {
  it('an admin: the database is created and written', async () => {
    const r = await runCli(['replay', CAPTURE, '--influx', url(ADMIN, 'by_admin'), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { metrics } = JSON.parse(r.stdout) as { metrics: { written: number; dropped: number } };
    expect(metrics.dropped).toBe(0);
    const count = await influxd.query('by_admin', 'SELECT count(value) FROM frames_total', ADMIN);
    expect(Number(count[0].values[0][1])).toBeGreaterThan(40);
  });

  it('a user who may not create databases (403) writes into one that exists: the check finds it with SHOW DATABASES', async () => {
    const r = await runCli(['replay', CAPTURE, '--influx', url(WRITER, 'noc'), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { metrics } = JSON.parse(r.stdout) as { metrics: { written: number; dropped: number } };
    expect(metrics).toMatchObject({ dropped: 0 });
    const count = await influxd.query('noc', 'SELECT count(value) FROM frames_total', ADMIN);
    expect(Number(count[0].values[0][1])).toBeGreaterThan(40);
  });

  it('that user and a database that does not exist: one line naming the database, the user and what to do, exit 2, nothing printed', async () => {
    const r = await runCli(['replay', CAPTURE, '--influx', url(WRITER, 'missing')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`arpwarden: --influx: InfluxDB at http://127.0.0.1:${influxd.port}/missing cannot be used: the database missing does not exist `
      + 'and the user writer may not create it (only an InfluxDB admin may): create it first');
  });

  it('a wrong password: one line with the server\'s reason, exit 2', async () => {
    const r = await runCli(['replay', CAPTURE, '--influx', url({ name: WRITER.name, password: 'wrong' }, 'noc')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`arpwarden: --influx: InfluxDB at http://127.0.0.1:${influxd.port}/noc cannot be used: HTTP 401: authorization failed`);
  });
});
