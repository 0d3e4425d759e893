/**
 * Self time by function and by source line from a V8 .cpuprofile (node --cpu-prof):
 *
 *   node --cpu-prof --cpu-prof-dir bench/out/prof --cpu-prof-interval 100 \
 *     dist/cli/main.js replay bench/out/arp-1000000-seed20240601.pcap --format json > /dev/null
 *   npx tsx bench/cpuprofile-top.ts bench/out/prof/CPU.*.cpuprofile [--top 20] [--since batch]
 *
 * --since FN: only the samples from the first one whose stack holds a function named FN on (`batch`:
 * from the first frame handled, so a capture and a replay compare without their start-up); `(idle)`
 * is then reported apart, the percentages being of the busy time.
 *
 * Time spent inside a native call (the pcap binding's dispatch: libpcap plus the
 * C++ → JS call per frame) is charged to the JS function that made the call.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(z.object({
    id: z.number(),
    callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    children: z.array(z.number()).optional(),
    positionTicks: z.array(z.object({ line: z.number(), ticks: z.number() })).optional(),
  })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const args = parseArgs({ options: { top: { type: 'string', default: '20' }, since: { type: 'string' } }, allowPositionals: true });
const top = Number(args.values.top);
if (args.positionals.length === 0) {
  console.error('usage: tsx bench/cpuprofile-top.ts FILE.cpuprofile... [--top N]');
  process.exit(2);
}

for (const file of args.positionals) {
  const prof = profileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** whether the node's stack holds a function named `fn` */
  const under = (id: number, fn: string): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)?.callFrame.functionName === fn) return true;
    return false;
  };
  const since = args.values.since;
  const first = since === undefined ? 0 : prof.samples.findIndex((id) => under(id, since));
  if (first < 0) throw new Error(`${file}: no sample under a function named ${since}`);
  let idleUs = 0;
  // self time per node: each sample lasts until the next one
  const selfUs = new Map<number, number>();
  for (let i = first; i < prof.samples.length; i++) {
    if (since !== undefined && byId.get(prof.samples[i])?.callFrame.functionName === '(idle)') {
      idleUs += prof.timeDeltas[i + 1] ?? 0;
      continue;
    }
    const dt = prof.timeDeltas[i + 1] ?? 0;
    selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + dt);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const where = (url: string): string => url.replace(/^file:\/\/.*?\/(dist|src|node_modules)\//, '$1/') || '(native)';
  const byFn = new Map<string, number>();
  const byLine = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (n === undefined) continue;
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anonymous)'}  ${where(cf.url)}:${cf.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    // spread the node's self time over its lines in proportion to their ticks
    const ticks = n.positionTicks ?? [];
    const tickSum = ticks.reduce((a, t) => a + t.ticks, 0);
    for (const t of ticks) {
      const k = `${where(cf.url)}:${t.line}  (${cf.functionName || 'anonymous'})`;
      byLine.set(k, (byLine.get(k) ?? 0) + us * t.ticks / tickSum);
    }
  }
  const print = (title: string, m: Map<string, number>): void => {
    console.log(title);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${k}`);
    }
  };
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled${since === undefined ? '' : ` busy from the first sample under ${since} on, ${(idleUs / 1000).toFixed(0)} ms idle`}`);
  print('self time by function', byFn);
  print('self time by line', byLine);
}
