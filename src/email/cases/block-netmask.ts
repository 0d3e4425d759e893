import { type BlockNetmaskText, blockNetmask as template } from '../templates/block-netmask.js';
import type { CaseEmail } from './case-email.js';

/** Case 1a: an IP of an unsplit routed block configured with a netmask other than the block's: the block's own netmask and broadcast. */
export const blockNetmask: CaseEmail<BlockNetmaskText> = {
  remediation: ({ block }) => (block === null ? {} : { netmask: block.netmask, broadcast: block.broadcast }),
  template,
};
