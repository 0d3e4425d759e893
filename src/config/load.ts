import { MAX_CONFIG_BYTES, readUserFile } from '../common/read-user-file.js';
import { parseWith, parseYamlFile } from '../common/yaml-errors.js';
import { type Config, configSchema, defaultConfig } from './schema.js';

/** Loads the YAML configuration; no file means every default. Errors name the file, line and key. */
export function loadConfig(file: string | undefined): Config {
  if (file === undefined) return defaultConfig();
  return parseWith(parseYamlFile(file, readUserFile(file, MAX_CONFIG_BYTES, 'a configuration')), configSchema);
}
