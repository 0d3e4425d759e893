import { ipToString } from '../../decode/addr.js';
import { type PortableBlockUnusableText, portableBlockUnusable as template } from '../templates/portable-block-unusable.js';
import type { CaseEmail } from './case-email.js';

/** A portable block's network, gateway or broadcast address configured on a server: the block's gateway and usable range. */
export const portableBlockUnusable: CaseEmail<PortableBlockUnusableText> = {
  remediation: ({ verdict: v }) => (v.portable ? { gateway: ipToString(v.portable.gateway) } : {}),
  template,
};
