/**
 * The locale registry: one line per locale the customer emails are written in.
 * The inventory accepts exactly these codes, and each has its folder
 * src/email/locales/CODE/ (its shared wording and its text for every case).
 * The codes live here, under every stage, so the inventory can read them
 * without depending on the email module.
 */
export const LOCALES = [
  'en',
  'fr',
  'it',
] as const;

export type Locale = (typeof LOCALES)[number];
