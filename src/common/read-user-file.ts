import fs from 'node:fs';
import { UserError } from './user-error.js';

/** Why a file the user named cannot be used, in a few words. */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}

/** The text of a file the user named (configuration, inventory); a UserError "FILE: reason" if it cannot be read. */
export function readUserFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: ${fileErrorReason(e)}`);
  }
}
