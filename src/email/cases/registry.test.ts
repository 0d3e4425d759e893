import { describe, expect, it } from 'vitest';
import { isCustomerCase } from '../../classify/cases.js';
import { CASE_IDS } from '../../classify/verdict.js';
import type { CaseEmail, CaseEmails } from './case-email.js';
import { CASE_EMAILS } from './registry.js';

// Type test (checked by `npx tsc -p tsconfig.check.json`): the registry must name every customer case.
const some: CaseEmail = CASE_EMAILS['alias-netmask'];
const { 'duplicate-ip': _left, ...missingOne } = CASE_EMAILS;
// @ts-expect-error a registry without 'duplicate-ip' is not CaseEmails
const incomplete: CaseEmails = missingOne;
// @ts-expect-error nor is one with a case the classifier does not have
const unknown: CaseEmails = { ...CASE_EMAILS, 'not-a-case': some };
// and the real one is: this line compiling is the other half of the test
const complete: CaseEmails = { ...missingOne, 'duplicate-ip': some };

describe('CASE_EMAILS', () => {
  it('has one email per customer case, and none for a NOC-only case such as noise', () => {
    const customerCases = CASE_IDS.filter((c) => isCustomerCase(c));
    expect(Object.keys(CASE_EMAILS).sort()).toEqual([...customerCases].sort());
    const n = customerCases.length;
    expect([incomplete, unknown, complete].map((r) => Object.keys(r).length)).toEqual([n - 1, n + 1, n]);
  });
});
