// This process's peak RSS in bytes: VmHWM, the high-water mark of its own memory since exec. Not getrusage's maxRSS
// (`process.resourceUsage().maxRSS`), which keeps the pages of the parent a child was forked from: a 95 MiB load
// under a 350 MiB bench read 354 MiB. Plain JavaScript, so that children run under plain node can import it.
import { readFileSync } from 'node:fs';

export function peakRssBytes() {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return (m === null ? process.resourceUsage().maxRSS : Number(m[1])) * 1024;
}
