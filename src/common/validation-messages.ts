import type { z } from 'zod';

/**
 * zod's issue codes in our words: the one place they are turned into sentences.
 * Passed per parse, so a message a schema sets itself (`z.string({ error: ... })`) still wins.
 */
export const validationMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `missing: expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`
        : `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case 'too_big':
      return `${describeValue(issue.input)} is too large: ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}${unitOf(issue.origin)}`;
    case 'too_small':
      return `${describeValue(issue.input)} is too small: ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}${unitOf(issue.origin)}`;
    case 'invalid_format':
      return issue.format === 'email' ? `not an email address: ${describeValue(issue.input)}`
        : issue.format === 'ipv4' ? `not an IPv4 address: ${describeValue(issue.input)}`
          : `${describeValue(issue.input)} does not have the expected form (${issue.format})`;
    case 'invalid_value':
      return `${describeValue(issue.input)} is none of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      return `${describeValue(issue.input)} is not a valid value here`;
    case 'not_multiple_of':
      return `${describeValue(issue.input)} is not a multiple of ${issue.divisor}`;
    default:
      return `${describeValue(issue.input)} is not valid here`;
  }
};

const TYPE_WORDS: Partial<Record<string, string>> = {
  string: 'a text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping (key: value)',
  never: 'nothing (remove this key)',
};

function unitOf(origin: string): string {
  return origin === 'string' ? ' characters' : origin === 'array' || origin === 'set' ? ' items' : '';
}

/** A value as the user wrote it, short, with any control character escaped (it ends up on one log line). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
