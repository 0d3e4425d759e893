/**
 * The in-process half of the replay fuzz, in a child the test can kill at a deadline: replays each file
 * given (argv: a JSON list file, the inventory), without and with the inventory, and prints one JSON line
 * per replay: refused (a UserError, one line), done (frames, malformed), or crashed (anything else, its stack).
 */
import { readFileSync } from 'node:fs';
import { FileSource } from '../../src/capture/file-source.js';
import { UserError } from '../../src/common/user-error.js';
import { defaultConfig } from '../../src/config/schema.js';
import { loadInventory } from '../../src/inventory/load.js';
import { replayFile } from '../../src/pipeline/replay.js';
import { incidentJson } from '../../src/incidents/incident-json.js';
import { summaryJson } from '../../src/cli/summary-output.js';

const [listFile, inventoryFile] = process.argv.slice(2);
const files = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
const config = defaultConfig();
const inventory = loadInventory(inventoryFile);

for (const file of files) {
  for (const withInventory of [false, true]) {
    let line: Record<string, unknown>;
    try {
      const run = await replayFile(new FileSource(file), withInventory ? config : null, withInventory ? inventory : null);
      // what the CLI prints is built too: a time out of range would throw there
      const printed = JSON.stringify({ ...summaryJson(run.summary), incidents: run.detection?.incidents?.map(incidentJson) ?? [] });
      line = { file, withInventory, outcome: 'done', frames: run.summary.frames, malformed: run.summary.malformed(), bytes: printed.length };
    } catch (e) {
      if (e instanceof UserError && !/[\r\n]/.test(e.message)) line = { file, withInventory, outcome: 'refused', message: e.message };
      else line = { file, withInventory, outcome: 'crashed', error: e instanceof Error ? e.stack ?? e.message : String(e) };
    }
    line.rss = process.memoryUsage().rss;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
