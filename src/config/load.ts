import { readUserFile } from '../common/read-user-file.js';
import { parseWith, parseYamlFile } from '../common/yaml-errors.js';
import { type Config, configSchema } from './schema.js';
import { applySecrets, processSecretSources, type SecretSources } from './secrets.js';

/**
 * Loads the YAML configuration; no file means every default. Errors name the file, line and key.
 * The secrets set outside it (systemd credentials, ARPWARDEN_* variables: secrets.ts) fill their keys first.
 */
export function loadConfig(file: string | undefined, secrets: SecretSources = processSecretSources()): Config {
  const y = file === undefined ? { file: 'the configuration', text: '', data: {} } : parseYamlFile(file, readUserFile(file));
  return parseWith({ ...y, data: applySecrets(y.data, secrets, file) }, configSchema);
}
