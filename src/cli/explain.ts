import { isCustomerCase } from '../classify/cases.js';
import { taggedArpFilter } from '../capture/bpf.js';
import { FileSource } from '../capture/file-source.js';
import { printable } from '../common/printable.js';
import { tcpdumpTime } from '../common/time.js';
import { cutShortText } from './summary-output.js';
import { loadConfig } from '../config/load.js';
import { ipArgument, ipToString } from '../common/addr.js';
import { describeIp } from '../inventory/describe-ip.js';
import { loadInventory } from '../inventory/load.js';
import { explainIp } from '../pipeline/explain.js';

export interface ExplainOptions {
  inventory: string;
  config?: string;
  /** timeline lines printed at most (0: all) */
  lines: number;
}

/** For one IP: what the inventory says, its ARP in the capture, each rule's numbers, and the case it gets (or why none). */
export async function explainCommand(file: string, ipText: string, opts: ExplainOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const ip = ipArgument(ipText);
  const config = loadConfig(opts.config);
  const inv = loadInventory(opts.inventory);
  const source = new FileSource(file);
  const ex = await explainIp(source, config, inv, ip);
  const w = (s: string): void => { out.write(s + '\n'); };
  // a file cut short explains only what came before the cut: said on stderr as replay says it, and in the title
  const cut = source.readError;
  if (cut !== null) process.stderr.write(`arpwarden: ${printable(cutShortText(file, ex.frames, cut))}\n`);

  w(`explain ${ipToString(ip)} in ${file} (${ex.frames.toLocaleString('en-US')} frames${cut === null ? '' : ' read: the file is cut short, the rest is not explained'})`);
  w('');
  w('inventory');
  for (const l of describeIp(inv, ip)) w(l);
  w('');
  const shown = opts.lines > 0 ? ex.timeline.slice(0, opts.lines) : ex.timeline;
  const provider = ex.provider;
  // the detector skips the provider's own frames before it looks at them: "0 frames" of a vRack host that sent hundreds would be false
  const fileArg = file !== '-' && /^[\w./+-]+$/.test(file) ? file : 'FILE';
  const skipped = provider === null ? '' : `; the detector skips the ARP of ${provider}, so its own frames are not listed (tcpdump -nn -e -r ${fileArg} '${taggedArpFilter(`arp host ${ipToString(ip)}`)}' shows them)`;
  w(`ARP from or about ${ipToString(ip)}: ${ex.timeline.length} frame${ex.timeline.length === 1 ? '' : 's'} (tcpdump -tttt -nn -e, UTC)${skipped}`);
  for (const t of shown) {
    w(t.line);
    if (t.notes.length > 0) w(`    ↳ ${t.notes.join('; ')}`);
  }
  if (shown.length < ex.timeline.length) w(`  ... ${ex.timeline.length - shown.length} more (--lines 0 shows all)`);
  w('');
  w(`rules (window ${config.detector.window_seconds} s)`);
  for (const r of ex.rules) {
    const verdict = r.notCounted !== null ? r.notCounted : r.crossedAt !== null ? `crossed at ${tcpdumpTime(r.crossedAt)}` : r.maxCount > 0 ? 'under the threshold' : 'not seen';
    w(`  ${r.signal.padEnd(18)} max ${String(r.maxCount).padStart(5)} per window, threshold ${String(r.threshold).padStart(4)}: ${verdict}`);
    const ps = r.persistence;
    if (ps !== null && ps.maxPeriods > 0) {
      const seen = ps.reachedAt !== null ? `persistent at ${tcpdumpTime(ps.reachedAt)}` : 'not persistent';
      w(`  ${''.padEnd(18)} seen in ${ps.maxPeriods} distinct periods of ${config.detector.persistence.period_seconds} s within ${config.detector.persistence.horizon_seconds} s, ${ps.needed} needed: ${seen}`);
    }
  }
  w('');
  if (ex.incidents.length > 0) {
    for (const i of ex.incidents) {
      const until = i.resolvedAt === null ? 'still open at the end of the capture' : `resolved ${tcpdumpTime(i.resolvedAt)}`;
      const who = i.verdict.customer ? `customer ${i.verdict.customer.id}` : 'no customer';
      const mail = i.verdict.emailable ? 'the customer is warned by email' : !isCustomerCase(i.caseId) ? 'NOC only, no email'
        // a duplicate of an address routed to no server: an address conflict (classify/duplicate-ip.ts)
        : i.caseId === 'duplicate-ip' && i.verdict.failover === null && i.verdict.block === null ? 'NOC only, no email (an address conflict: the inventory routes it to no server)'
          : 'no email (muted or no customer)';
      w(`verdict: ${i.caseId} (${who}), opened ${tcpdumpTime(i.openedAt)}, ${until}; ${mail}`);
    }
  } else {
    w(`verdict: no incident: ${provider !== null ? `${provider} is never an incident` : whyNone(ex.rules.some((r) => r.crossedAt !== null), ex.timeline.length, cut !== null)}`);
  }
  return 0;
}

function whyNone(anyCrossed: boolean, frames: number, cutShort: boolean): string {
  if (frames === 0) return `the capture${cutShort ? ', as far as it could be read,' : ''} holds no ARP from or about this IP`;
  if (!anyCrossed) return 'no rule reached its threshold';
  return 'a rule reached its threshold, but what it saw is no case for this IP (covered by another rule, or the provider\'s own address)';
}
