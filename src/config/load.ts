import fs from 'node:fs';
import { UserError } from '../common/user-error.js';
import { parseWith, parseYamlFile } from '../common/yaml-errors.js';
import { type Config, configSchema, defaultConfig } from './schema.js';

/** Loads the YAML configuration; no file means every default. Errors name the file, line and key. */
export function loadConfig(file: string | undefined): Config {
  if (file === undefined) return defaultConfig();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseWith(parseYamlFile(file, text), configSchema);
}
