import { MAX_INVENTORY_BYTES, readUserFile } from '../common/read-user-file.js';
import { UserError } from '../common/user-error.js';
import { FileProblems, InvalidFileError, parseYamlFile } from '../common/yaml-errors.js';
import type { InventoryIndex } from './inventory-index.js';
import { resolveInventory } from './resolve.js';
import { validateInventory } from './validate.js';

/** Reads, validates and indexes an inventory file; a UserError names the file, the line and the first problem, and how many more. */
export function loadInventory(file: string): InventoryIndex {
  return parseInventory(file, readUserFile(file, MAX_INVENTORY_BYTES, 'an inventory'));
}

export function parseInventory(file: string, text: string): InventoryIndex {
  const y = parseYamlFile(file, text);
  // a truncated deploy must never pass for an inventory without customers
  if (y.data !== null && typeof y.data === 'object' && !Array.isArray(y.data) && Object.keys(y.data).length === 0) {
    throw new UserError(`${file}: the inventory is empty (nothing but comments, or nothing at all): refused, it would make every IP unknown`);
  }
  const problems = new FileProblems(y);
  const inv = resolveInventory(validateInventory(y, problems), problems);
  if (problems.size > 0) throw new InvalidFileError(file, problems.located(), `arpwarden inventory check ${file} lists them`);
  return inv;
}
