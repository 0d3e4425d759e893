import { readUserFile } from '../common/read-user-file.js';
import { parseWith, parseYamlFile } from '../common/yaml-errors.js';
import type { InventoryIndex } from './inventory-index.js';
import { resolveInventory } from './resolve.js';
import { inventorySchema } from './schema.js';

/** Reads, validates and indexes an inventory file; a UserError names the file, the line and the problem. */
export function loadInventory(file: string): InventoryIndex {
  return parseInventory(file, readUserFile(file));
}

export function parseInventory(file: string, text: string): InventoryIndex {
  const y = parseYamlFile(file, text);
  return resolveInventory(y, parseWith(y, inventorySchema));
}
