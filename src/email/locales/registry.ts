/**
 * Every locale's text, keyed by the codes of the locale registry
 * (src/common/locales.ts): each code's folder here, CODE/index.ts, is loaded
 * by its name, so adding a locale is its folder plus its code in that list.
 * The inventory reads the same list, without depending on the email module.
 */
import { LOCALES, type Locale } from '../../common/locales.js';
import { type DefinedLocale, isDefinedLocale } from './locale-text.js';

async function load(code: Locale): Promise<DefinedLocale> {
  // by name, not a static import per locale: the code in LOCALES is the one line a locale adds
  // (@vite-ignore: vitest resolves it at run time like Node, .ts for .js)
  const folder: { default?: unknown } = await import(/* @vite-ignore */ `./${code}/index.js`).catch((e: unknown) => {
    throw new Error(`locale ${code} is in src/common/locales.ts but src/email/locales/${code}/index.ts cannot be loaded: ${String(e)}`);
  });
  if (!isDefinedLocale(folder.default)) throw new Error(`src/email/locales/${code}/index.ts must end with \`export default defineLocale({ common, cases })\``);
  return folder.default;
}

const loaded = await Promise.all(LOCALES.map(async (code) => [code, await load(code)] as const));

export const LOCALE_TEXTS: Readonly<Record<Locale, DefinedLocale>> = Object.fromEntries(loaded) as Record<Locale, DefinedLocale>;
