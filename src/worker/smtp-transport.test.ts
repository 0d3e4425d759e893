import { describe, expect, it } from 'vitest';
import { outcomeUnknown } from './smtp-transport.js';

const err = (message: string, fields: object): Error => Object.assign(new Error(message), fields);

describe('outcomeUnknown: whether a failed send may have delivered', () => {
  it('a socket timeout or a connection lost mid-session: maybe (a relay may hold the message)', () => {
    expect(outcomeUnknown(err('Timeout', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' }))).toBe(true);
    expect(outcomeUnknown(err('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }))).toBe(true);
    expect(outcomeUnknown(err('read ECONNRESET', { code: 'ESOCKET', originalCode: 'ECONNRESET' }))).toBe(true);
  });

  it('a relay\'s answer, a connection that never came up, or a failure before any byte: not sent', () => {
    expect(outcomeUnknown(err('Message failed: 451 later', { code: 'EMESSAGE', responseCode: 451 }))).toBe(false);
    expect(outcomeUnknown(err('Can\'t send mail: 550 no', { code: 'EENVELOPE', responseCode: 550 }))).toBe(false);
    expect(outcomeUnknown(err('connect ECONNREFUSED 127.0.0.1:25', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }))).toBe(false);
    expect(outcomeUnknown(err('Connection timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }))).toBe(false);
    expect(outcomeUnknown(err('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }))).toBe(false);
    expect(outcomeUnknown(err('Invalid login: 535', { code: 'EAUTH', responseCode: 535 }))).toBe(false);
    expect(outcomeUnknown(new Error('boom'))).toBe(false);
  });
});
