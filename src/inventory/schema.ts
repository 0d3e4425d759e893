import { z } from 'zod';
import { LOCALES } from '../common/locales.js';

/** The inventory file's shape (a public interface: keep these names). Addresses stay strings here; resolve.ts parses them. */
const ip = z.string({ error: 'expected an IPv4 address' });
const mac = z.union([z.string(), z.number()], { error: 'expected a MAC address' }).transform(String);

export const routerSchema = z.strictObject({ ip, mac });
export const customerSchema = z.strictObject({
  id: z.union([z.string(), z.number()]).transform(String),
  email: z.email({ error: 'expected an email address' }),
  name: z.string().optional(),
  locale: z.enum(LOCALES).default('en'),
  muted: z.boolean().default(false),
});
export const serverSchema = z.strictObject({
  id: z.union([z.string(), z.number()]).transform(String),
  customer: z.union([z.string(), z.number()]).transform(String),
  ip,
  mac,
  gateway: ip,
  vlan: z.number().int().min(0).max(4095).optional(),
});
export const failoverSchema = z.strictObject({
  ip,
  server: z.union([z.string(), z.number()]).transform(String),
  virtual_mac: mac.optional(),
  muted: z.boolean().default(false),
});
export const blockMemberSchema = z.strictObject({
  ip,
  server: z.union([z.string(), z.number()]).transform(String),
  virtual_mac: mac.optional(),
  muted: z.boolean().default(false),
});
export const blockSchema = z.strictObject({
  cidr: z.string(),
  server: z.union([z.string(), z.number()]).transform(String).optional(),
  split: z.boolean().default(false),
  members: z.array(blockMemberSchema).default([]),
});
export const portableBlockSchema = z.strictObject({
  cidr: z.string(),
  customer: z.union([z.string(), z.number()]).transform(String),
  vlan: z.number().int().min(0).max(4095).optional(),
});

export const inventorySchema = z.strictObject({
  routers: z.array(routerSchema).default([]),
  customers: z.array(customerSchema).default([]),
  servers: z.array(serverSchema).default([]),
  failover_ips: z.array(failoverSchema).default([]),
  blocks: z.array(blockSchema).default([]),
  portable_blocks: z.array(portableBlockSchema).default([]),
  vrack: z.array(z.string()).default([]),
});
export type InventoryFile = z.infer<typeof inventorySchema>;
