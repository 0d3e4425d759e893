/**
 * Each locale's shared wording, by code (its folder's common.ts under
 * src/email/locales/), and the pieces of rendering that read it.
 */
import type { Locale } from '../../common/locales.js';
import { LOCALE_TEXTS } from '../locales/registry.js';
import type { Common } from './common.js';

export type { Common, Stamp } from './common.js';
export { stamp } from './common.js';

export const COMMON: Readonly<Record<Locale, Common>> = Object.fromEntries(Object.entries(LOCALE_TEXTS).map(([code, text]) => [code, text.common])) as Record<Locale, Common>;
