import type { MetricsConfig } from '../config/schema.js';
import { Influx1Transport } from './influx1.js';
import { Influx2Transport } from './influx2.js';
import type { PointTransport } from './point-transport.js';

/** The InfluxDBs the configuration names (none, one or both); a bad URL or a missing secret is a UserError. */
export function metricsTransports(cfg: MetricsConfig, env: NodeJS.ProcessEnv = process.env): PointTransport[] {
  const out: PointTransport[] = [];
  if (cfg.influx !== undefined) out.push(new Influx1Transport(cfg.influx, env));
  if (cfg.influx2 !== undefined) out.push(new Influx2Transport(cfg.influx2, cfg.batch_size, env));
  return out;
}
