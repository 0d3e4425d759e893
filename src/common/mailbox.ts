/**
 * RFC 5322 mailboxes as a configuration writes them: `name@domain.example`
 * (addr-spec) or `Display Name <name@domain.example>` (name-addr). Strict
 * where relays are strict (a domain with a dot, no comments, no group
 * syntax); lenient where they are not (a display name may hold dots and
 * UTF-8, which nodemailer encodes).
 */

export interface Mailbox {
  /** the display name without quotes, or null */
  name: string | null;
  /** local@domain */
  address: string;
  domain: string;
}

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/** a domain of two labels or more: a dotless one is refused by relays and scored by spam filters */
const DOMAIN = `${LABEL}(?:\\.${LABEL})+`;
const ADDR_SPEC = new RegExp(`^(${DOT_ATOM}|${QUOTED})@(${DOMAIN})$`);
/** a phrase: words (atoms, with the dots and non-ASCII letters obs-phrase and RFC 6532 allow) or quoted strings */
const PHRASE = new RegExp(`^(?:(?:[A-Za-z0-9!#$%&'*+/=?^_\`{|}~.\\u0080-\\uFFFF-]+|${QUOTED})\\s*)+$`);

export const DOMAIN_NAME = new RegExp(`^${DOMAIN}$`);

function addrSpec(s: string): Pick<Mailbox, 'address' | 'domain'> | null {
  const m = ADDR_SPEC.exec(s);
  return m === null ? null : { address: s, domain: m[2].toLowerCase() };
}

/** The mailbox, or null when `s` is not one (`Our NOC`, `noc@localhost`, `a@b, c@d`). */
export function parseMailbox(s: string): Mailbox | null {
  const text = s.trim();
  const bare = addrSpec(text);
  if (bare !== null) return { name: null, ...bare };
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(text);
  if (m === null) return null;
  const spec = addrSpec(m[2]);
  if (spec === null) return null;
  const phrase = m[1].trim();
  if (phrase === '') return { name: null, ...spec };
  if (!PHRASE.test(phrase)) return null;
  const name = /^"(.*)"$/.test(phrase) ? phrase.slice(1, -1).replace(/\\(.)/g, '$1') : phrase;
  return { name, ...spec };
}

export const MAILBOX_HINT = 'expected a mailbox: noc@provider.example or Our NOC <noc@provider.example>';
