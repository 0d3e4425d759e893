import { describe, expect, it } from 'vitest';
import { caseEmailJobs } from '../../../fixtures/email-jobs.js';
import { LOCALES } from '../../common/locales.js';
import { renderEmail } from './render.js';

const OPTS = { from: 'noc@provider.example', replyTo: 'noc@provider.example', provider: 'P' };
const NOTE = { en: 'began during a maintenance window', fr: 'pendant une fenêtre de maintenance', it: 'durante una finestra di manutenzione' } as const;

describe('an email held by a mute and sent after it', () => {
  it('says, in every locale, that the incident began during the maintenance; an email never held does not', async () => {
    const job = (await caseEmailJobs())[0];
    for (const locale of LOCALES) {
      const j = { ...job, customer: { ...job.customer, locale } };
      const held = renderEmail(j, OPTS, { mutedSince: '2026-11-02T10:00:00.000Z' });
      const phrase = NOTE[locale as keyof typeof NOTE];
      expect(phrase, `a phrase for ${locale}`).toBeDefined();
      expect(held.text).toContain(phrase);
      expect(held.html).toContain(phrase);
      expect(renderEmail(j, OPTS).text).not.toContain(phrase);
    }
  });
});
