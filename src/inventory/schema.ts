import { z } from 'zod';
import { LOCALES } from '../common/locales.js';

/** The inventory file's shape (a public interface: keep these names). Addresses stay strings here; resolve.ts parses them. */
const ip = z.string({ error: 'expected an IPv4 address' });
const mac = z.union([z.string(), z.number()], { error: 'expected a MAC address' }).transform(String);
/** ids end up in emails, logs and Redis keys: nothing that could break a line or a key */
const id = z.union([z.string(), z.number()], { error: 'expected an id' }).transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9._-]+$/, 'an id is letters, digits, ".", "_" and "-" only'));
/** free text (a customer's name reaches the email body): one line, no control characters */
const text = z.string({ error: 'expected a text' }).regex(/^[^\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/u, 'no control characters (line breaks, tabs) in a text');

export const routerSchema = z.strictObject({ ip, mac });
export const customerSchema = z.strictObject({
  id,
  email: z.email({ error: 'expected an email address' }),
  name: text.optional(),
  locale: z.enum(LOCALES).default('en'),
  muted: z.boolean().default(false),
});
export const serverSchema = z.strictObject({
  id,
  customer: id,
  ip,
  mac,
  gateway: ip,
  vlan: z.number().int().min(0).max(4095).optional(),
});
export const failoverSchema = z.strictObject({
  ip,
  server: id,
  virtual_mac: mac.optional(),
  muted: z.boolean().default(false),
});
export const blockMemberSchema = z.strictObject({
  ip,
  server: id,
  virtual_mac: mac.optional(),
  muted: z.boolean().default(false),
});
export const blockSchema = z.strictObject({
  cidr: z.string(),
  server: id.optional(),
  split: z.boolean().default(false),
  members: z.array(blockMemberSchema).default([]),
});
export const portableBlockSchema = z.strictObject({
  cidr: z.string(),
  customer: id,
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
