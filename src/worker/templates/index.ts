/** One template per customer case id, each in en, fr and it. */
import type { EmailJob } from '../../incidents/email-job.js';
import { aliasNetmask } from './alias-netmask.js';
import { blockNetmask } from './block-netmask.js';
import type { CaseTemplate } from './context.js';
import { duplicateIp } from './duplicate-ip.js';
import { portableBlockUnusable } from './portable-block-unusable.js';
import { splitBlock } from './split-block.js';
import { vmNatGateway } from './vm-nat-gateway.js';
import { vmacGateway } from './vmac-gateway.js';
import { vmacMissing } from './vmac-missing.js';

export const TEMPLATES: Record<EmailJob['caseId'], CaseTemplate> = {
  'alias-netmask': aliasNetmask,
  'block-netmask': blockNetmask,
  'split-block': splitBlock,
  'vmac-gateway': vmacGateway,
  'vmac-missing': vmacMissing,
  'vm-nat-gateway': vmNatGateway,
  'portable-block-unusable': portableBlockUnusable,
  'duplicate-ip': duplicateIp,
};
