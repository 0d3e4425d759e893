import fs from 'node:fs';
import { UserError } from '../common/user-error.js';
import { parseWith, parseYamlFile } from '../common/yaml-errors.js';
import type { InventoryIndex } from './inventory-index.js';
import { resolveInventory } from './resolve.js';
import { inventorySchema } from './schema.js';

/** Reads, validates and indexes an inventory file; a UserError names the file, the line and the problem. */
export function loadInventory(file: string): InventoryIndex {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  return parseInventory(file, text);
}

export function parseInventory(file: string, text: string): InventoryIndex {
  const y = parseYamlFile(file, text);
  return resolveInventory(y, parseWith(y, inventorySchema));
}
