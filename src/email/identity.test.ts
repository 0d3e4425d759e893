import { describe, expect, it } from 'vitest';
import { UserError } from '../common/user-error.js';
import { configSchema } from '../config/schema.js';
import { requireOwnIdentity, senderIdentity } from './identity.js';

const email = (e: object) => configSchema.parse({ email: e }).email;

describe('senderIdentity', () => {
  it('replies go to email.from unless reply_to is set; the Message-ID domain is from\'s unless message_id_domain is', () => {
    expect(senderIdentity(email({ from: 'Our NOC <noc@Provider.Example>', provider: 'P' }))).toEqual({
      from: 'Our NOC <noc@Provider.Example>', replyTo: 'Our NOC <noc@Provider.Example>', provider: 'P', messageIdDomain: 'provider.example', example: false,
    });
    expect(senderIdentity(email({ from: 'noc@provider.example', reply_to: 'desk@provider.example', message_id_domain: 'ids.provider.example', provider: 'P' })))
      .toMatchObject({ replyTo: 'desk@provider.example', messageIdDomain: 'ids.provider.example' });
  });
  it('the built-in identity is the example one until both from and provider are set', () => {
    expect(senderIdentity(email({})).example).toBe(true);
    expect(senderIdentity(email({ from: 'noc@provider.example' })).example).toBe(true);
    expect(senderIdentity(email({ provider: 'P' })).example).toBe(true);
    expect(() => requireOwnIdentity(email({ provider: 'P' }), 'cfg.yaml')).toThrow(new UserError('worker: email.from is still the built-in example (P, Example Hosting NOC <noc@example.net>): set email.from in cfg.yaml before sending to customers'));
    expect(requireOwnIdentity(email({ from: 'noc@provider.example', provider: 'P' }), 'cfg.yaml').example).toBe(false);
  });
});
