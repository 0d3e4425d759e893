import { describe, expect, it } from 'vitest';
import { common } from './en/common.js';
import { defineLocale } from './locale-text.js';
import { LOCALE_TEXTS } from './registry.js';

// Type tests (checked by `npx tsc -p tsconfig.check.json`): a locale folder must be whole.
const { cases } = LOCALE_TEXTS.en;
const { 'vmac-missing': _case, ...withoutACase } = cases;
const { signoff: _signoff, ...withoutAPiece } = common;
// @ts-expect-error a locale without its text for one case does not compile
const missingCase = defineLocale({ common, cases: withoutACase });
// @ts-expect-error nor one whose shared wording lacks a piece
const missingPiece = defineLocale({ common: withoutAPiece, cases });
// @ts-expect-error nor a case text of the wrong shape (vmac-missing's text takes the values its template computes)
const wrongShape = defineLocale({ common, cases: { ...cases, 'vmac-missing': cases['alias-netmask'] } });
// and a whole one is: this line compiling is the other half of the test
const whole = defineLocale({ common, cases });

describe('defineLocale', () => {
  it('keeps the folder\'s text as given', () => {
    expect(whole.common).toBe(common);
    expect(Object.keys(whole.cases)).toEqual(Object.keys(cases));
    const n = Object.keys(cases).length;
    expect([missingCase, missingPiece, wrongShape].map((l) => Object.keys(l.cases).length)).toEqual([n - 1, n, n]);
  });
});
