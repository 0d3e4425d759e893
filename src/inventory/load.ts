import { MAX_INVENTORY_BYTES, readUserFile } from '../common/read-user-file.js';
import { UserError } from '../common/user-error.js';
import { FileProblems, InvalidFileError, type LocatedYaml, parseYamlFile } from '../common/yaml-errors.js';
import type { InventoryIndex } from './inventory-index.js';
import { readValidInventory } from './fast-load.js';
import { parseLineYaml } from './line-yaml.js';
import { resolveInventory } from './resolve.js';
import { streamInventory } from './stream-load.js';
import { validateInventory } from './validate.js';

/**
 * Reads, validates and indexes an inventory file; a UserError names the file, the line and the first problem, and how
 * many more. The usual shape is read straight into the index (stream-load.ts); anything else, and any file with a
 * problem, is read whole and parsed as below (which holds the text and every entry at once: more memory).
 */
export function loadInventory(file: string): InventoryIndex {
  return streamInventory(file) ?? parseInventory(file, readUserFile(file, MAX_INVENTORY_BYTES, 'an inventory'));
}

export function parseInventory(file: string, text: string): InventoryIndex {
  const fast = readValidInventory(file, text);
  if (fast !== null) {
    const problems = new FileProblems(fast.y);
    const inv = resolveInventory(fast.v, problems);
    if (problems.size > 0) throw new InvalidFileError(file, problems.located(), `arpwarden inventory check ${file} lists them`);
    return inv;
  }
  const y = readYaml(file, text);
  // a truncated deploy must never pass for an inventory without customers
  if (y.data !== null && typeof y.data === 'object' && !Array.isArray(y.data) && Object.keys(y.data).length === 0) {
    throw new UserError(`${file}: the inventory is empty (nothing but comments, or nothing at all): refused, it would make every IP unknown`);
  }
  const problems = new FileProblems(y);
  const inv = resolveInventory(validateInventory(y, problems), problems);
  if (problems.size > 0) throw new InvalidFileError(file, problems.located(), `arpwarden inventory check ${file} lists them`);
  return inv;
}

/** The one-entry-per-line shape by the fast reader, anything else by js-yaml (the same data, the same errors). */
export function readYaml(file: string, text: string): LocatedYaml {
  const fast = parseLineYaml(text);
  return fast === null ? parseYamlFile(file, text) : { file, text, data: fast.data, entryLine: fast.entryLine };
}
