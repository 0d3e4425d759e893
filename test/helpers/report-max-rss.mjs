// Preloaded with `node --import` into a child whose peak memory a test measures: at exit, the peak RSS (bytes)
// into the file named by AW_MAX_RSS_FILE (a parent cannot read a child's rusage from Node). See peak-rss.mjs for
// why it is VmHWM.
import { writeFileSync } from 'node:fs';
import { peakRssBytes } from './peak-rss.mjs';

const file = process.env.AW_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(peakRssBytes())));
