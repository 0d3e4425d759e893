/** arpwarden's version (package.json's, pinned by version.test.ts): the CLI's --version, and part of a compiled inventory cache's key. */
export const ARPWARDEN_VERSION = '0.1.0';
