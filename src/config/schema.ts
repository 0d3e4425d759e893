import { z } from 'zod';

/**
 * arpwarden's configuration: every default and unit is here, nowhere else.
 * Counts are events per sliding window, per sender IP, on packet time.
 */
export const detectorSchema = z.strictObject({
  /** length of the sliding window, seconds */
  window_seconds: z.number().int().min(5).max(3600).default(60),
  /** sub-buckets of the window: the window slides by window/buckets */
  buckets: z.number().int().min(2).max(60).default(6),
  /** a request with no reply after this many seconds is unresolved (Linux retransmits after 1 s) */
  reply_timeout_seconds: z.number().min(0.1).max(60).default(3),
  /** an incident resolves when its evidence stays under its threshold this long, seconds */
  quiet_period_seconds: z.number().min(1).max(86400).default(300),
  thresholds: z.strictObject({
    /** requests sent by one IP per window: past it, excessive ARP */
    excessive_requests: z.number().int().min(1).default(120),
    /** unresolved requests per window */
    unresolved: z.number().int().min(1).default(30),
    /** `who-has X tell F`, F without virtual MAC, X not its gateway */
    off_link: z.number().int().min(1).default(10),
    /** `who-has X tell F` from the virtual MAC, X not the host's gateway */
    wrong_gateway: z.number().int().min(1).default(10),
    /** F sent from a MAC the inventory does not allow */
    mac_mismatch: z.number().int().min(1).default(10),
    /** changes of the MAC an IP is seen from */
    flip_flop: z.number().int().min(1).default(4),
    /** a network, gateway or broadcast address used as sender */
    unusable_address: z.number().int().min(1).default(5),
  }).prefault({}),
  /** distinct MACs past which an IP's MAC changes look like spoofing: NOC only, no customer case */
  spoof_macs: z.number().int().min(3).default(4),
  /** senders tracked at once; past it new senders are counted, not tracked */
  max_senders: z.number().int().min(100).default(100_000),
  /** requests awaiting a reply, tracked at once; past it the oldest is dropped, counted */
  max_pending: z.number().int().min(100).default(200_000),
  /** a sender with no ARP, no pending request and no open incident this long is forgotten, seconds */
  sender_idle_seconds: z.number().min(1).default(900),
  /** sample ARP lines kept per incident */
  samples: z.number().int().min(1).max(100).default(10),
});

export const configSchema = z.strictObject({
  detector: detectorSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type DetectorConfig = z.infer<typeof detectorSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}
