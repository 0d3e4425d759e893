// Preloaded with `node --import` into a child whose peak memory a test measures: at exit, the peak RSS (bytes)
// into the file named by AW_MAX_RSS_FILE (a parent cannot read a child's rusage from Node). VmHWM, the high-water
// mark since exec: getrusage's maxRSS keeps the pages of the parent the child was forked from (a vitest worker's).
import { readFileSync, writeFileSync } from 'node:fs';

function peakRssBytes() {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return (m === null ? process.resourceUsage().maxRSS : Number(m[1])) * 1024;
}

const file = process.env.AW_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(peakRssBytes())));
