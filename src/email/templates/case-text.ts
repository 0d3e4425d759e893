/** A case's email text in the context's locale: the case's template given the locale's text of that case. */
import type { CaseEmail } from '../cases/case-email.js';
import { CASE_EMAILS } from '../cases/registry.js';
import type { CaseTexts } from '../locales/locale-text.js';
import type { CaseText, Ctx } from './context.js';

/** The registry seen case by case with each one's own text type (checked here, entry by entry), so an id picks a template and a text that fit. */
const BY_CASE: { readonly [K in keyof CaseTexts]: CaseEmail<CaseTexts[K]> } = CASE_EMAILS;

export const caseText = <K extends keyof CaseTexts>(id: K, x: Ctx): CaseText => BY_CASE[id].template(x, x.T[id]);
