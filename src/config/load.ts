import { MAX_CONFIG_BYTES, readUserFile } from '../common/read-user-file.js';
import { UserError } from '../common/user-error.js';
import { parseWith, parseYamlFile } from '../common/yaml-errors.js';
import { type Config, configSchema } from './schema.js';
import { applySecrets, processSecretSources, type SecretSources } from './secrets.js';

/**
 * Loads the YAML configuration; no file means every default. Errors name the file, line and key.
 * The secrets set outside it (systemd credentials, ARPWARDEN_* variables: secrets.ts) fill their keys first.
 */
export function loadConfig(file: string | undefined, secrets: SecretSources = processSecretSources()): Config {
  const y = file === undefined ? { file: 'the configuration', text: '', data: {} } : parseYamlFile(file, readUserFile(file, MAX_CONFIG_BYTES, 'a configuration'));
  return parsed(y, file, secrets);
}

/**
 * The configuration read again (SIGHUP): as loadConfig, but an empty file is refused. Why: at start it means every
 * default, but under a running daemon it is a file cut short or being written, and taking it would put every
 * threshold back to its default.
 */
export function reloadConfig(file: string, secrets: SecretSources = processSecretSources()): Config {
  const y = parseYamlFile(file, readUserFile(file, MAX_CONFIG_BYTES, 'a configuration'));
  if (typeof y.data === 'object' && y.data !== null && !Array.isArray(y.data) && Object.keys(y.data).length === 0) {
    throw new UserError(`${file}: the configuration is empty (nothing but comments, or nothing at all): refused, it would put every key back to its default`);
  }
  return parsed(y, file, secrets);
}

function parsed(y: ReturnType<typeof parseYamlFile>, file: string | undefined, secrets: SecretSources): Config {
  return parseWith({ ...y, data: applySecrets(y.data, secrets, file) }, configSchema);
}
