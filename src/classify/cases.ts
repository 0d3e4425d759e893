import { aliasNetmask } from './case-1-alias-netmask.js';
import { blockNetmask } from './case-1a-block-netmask.js';
import { splitBlock } from './case-1b-split-block.js';
import { vmacGateway, vmacMissing } from './case-2-vmac.js';
import { vmNatGateway } from './case-3-vm-nat-gateway.js';
import type { CaseRule } from './classify-context.js';
import { duplicateIp } from './duplicate-ip.js';
import { madeByIncidentBook } from './flood.js';
import { noise } from './noise.js';
import { portableBlockUnusable } from './portable-block.js';

export interface CaseDefinition {
  /** the stable case id: JSON, metrics, emails, the API */
  readonly id: string;
  /** the case in the provider's own guide (seeds/), for people */
  readonly guide: string;
  /** a customer case (an email with its fix) or the NOC's alone */
  readonly audience: 'customer' | 'noc';
  /** does this signal, for this IP's product, make this case? Pure, allocation-free: it runs for every signal */
  readonly decide: CaseRule;
}

/**
 * Every case, one line each, in the order they are tried: the first that decides wins. A duplicate
 * is tried before cases 2 and 3: a known server's MAC means the IP was left behind, not a VM.
 * Noise is last: what is noisy and fits no customer case; flood and overflow, after it, never decide. The
 * case's email (remediation and template) lives in the email module, which the compiler makes
 * exhaustive over the customer case ids.
 */
export const CASES = [
  { id: 'alias-netmask', guide: 'case 1', audience: 'customer', decide: aliasNetmask },
  { id: 'split-block', guide: 'case 1b', audience: 'customer', decide: splitBlock },
  { id: 'block-netmask', guide: 'case 1a', audience: 'customer', decide: blockNetmask },
  { id: 'vmac-gateway', guide: 'case 2', audience: 'customer', decide: vmacGateway },
  { id: 'duplicate-ip', guide: 'duplicate', audience: 'customer', decide: duplicateIp },
  { id: 'vmac-missing', guide: 'case 2', audience: 'customer', decide: vmacMissing },
  { id: 'vm-nat-gateway', guide: 'case 3', audience: 'customer', decide: vmNatGateway },
  { id: 'portable-block-unusable', guide: 'portable block', audience: 'customer', decide: portableBlockUnusable },
  { id: 'noise', guide: 'none: NOC only', audience: 'noc', decide: noise },
  { id: 'flood', guide: 'none: NOC only, made by the incident book from many noise incidents in one VLAN', audience: 'noc', decide: madeByIncidentBook },
  { id: 'overflow', guide: 'none: NOC only, made by the incident book for the incidents not opened past detector.max_open_incidents', audience: 'noc', decide: madeByIncidentBook },
] as const satisfies readonly CaseDefinition[];

export type CaseId = (typeof CASES)[number]['id'];
/** The cases that warrant a customer email. */
export type CustomerCaseId = Extract<(typeof CASES)[number], { audience: 'customer' }>['id'];

export const CASE_IDS: readonly CaseId[] = CASES.map((c) => c.id);
export const CASE_COUNT = CASES.length;

/** A case's number (its index in CASES): incident keys and counters use it. */
export const caseIndex = (id: CaseId): number => CASE_INDEX.get(id)!;
const CASE_INDEX = new Map<CaseId, number>(CASES.map((c, i) => [c.id, i]));

export const isCustomerCase = (id: CaseId): id is CustomerCaseId => CASES[caseIndex(id)].audience === 'customer';
