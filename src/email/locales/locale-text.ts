/**
 * What one locale's folder provides: the wording every case shares and its
 * text for every customer case. Its index.ts passes both to defineLocale, so a
 * folder missing a case's text, or a piece of the shared wording, does not
 * compile.
 */
import type { CaseEmail } from '../cases/case-email.js';
import type { CASE_EMAILS } from '../cases/registry.js';
import type { Common } from '../templates/common.js';

type TextOf<E> = E extends CaseEmail<infer T> ? T : never;

/** Each customer case's text, in the type its template asks for: a case added to CASE_EMAILS needs its text in every locale. */
export type CaseTexts = { readonly [K in keyof typeof CASE_EMAILS]: TextOf<(typeof CASE_EMAILS)[K]> };

export interface LocaleText {
  common: Common;
  cases: CaseTexts;
}

const DEFINED: unique symbol = Symbol('a locale folder checked by defineLocale');

/** A locale's text as its folder's index.ts exports it (`export default defineLocale({ common, cases })`). */
export interface DefinedLocale extends LocaleText {
  readonly [DEFINED]: true;
}

export const defineLocale = (text: LocaleText): DefinedLocale => ({ ...text, [DEFINED]: true });

/** The registry loads the folders by name: only what defineLocale built passes. */
export const isDefinedLocale = (v: unknown): v is DefinedLocale => typeof v === 'object' && v !== null && DEFINED in v;
