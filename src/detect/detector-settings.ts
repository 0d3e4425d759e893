import type { SignalName } from './signals.js';

/**
 * What the detector reads of the configuration (`detector:` in config/schema.ts, where the
 * defaults and units live). Declared here so that detect depends on nothing above it.
 */
export interface DetectorSettings {
  window_seconds: number;
  buckets: number;
  reply_timeout_seconds: number;
  spoof_macs: number;
  max_senders: number;
  max_pending: number;
  sender_idle_seconds: number;
  thresholds: Readonly<Record<SignalName, number>>;
  persistence: { period_seconds: number; periods: number; horizon_seconds: number };
}
