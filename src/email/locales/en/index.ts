/** English: the customer emails' text. */
import { defineLocale } from '../locale-text.js';
import { aliasNetmask } from './alias-netmask.js';
import { blockNetmask } from './block-netmask.js';
import { common } from './common.js';
import { duplicateIp } from './duplicate-ip.js';
import { portableBlockUnusable } from './portable-block-unusable.js';
import { splitBlock } from './split-block.js';
import { vmNatGateway } from './vm-nat-gateway.js';
import { vmacGateway } from './vmac-gateway.js';
import { vmacMissing } from './vmac-missing.js';

export default defineLocale({
  common,
  cases: {
    'alias-netmask': aliasNetmask,
    'block-netmask': blockNetmask,
    'split-block': splitBlock,
    'vmac-gateway': vmacGateway,
    'vmac-missing': vmacMissing,
    'vm-nat-gateway': vmNatGateway,
    'portable-block-unusable': portableBlockUnusable,
    'duplicate-ip': duplicateIp,
  },
});
