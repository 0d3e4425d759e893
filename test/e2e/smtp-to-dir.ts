/**
 * An SMTP server (smtp-server) for the end-to-end tests that run their servers inside a network
 * namespace, where the test process cannot reach them: each message accepted is written to DIR as
 * N.eml (the file system is shared across namespaces).
 *
 *   ip netns exec NS node --import tsx test/e2e/smtp-to-dir.ts PORT DIR
 *
 * Prints `ready` once it listens.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const [portText, dir] = process.argv.slice(2);
let n = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      writeFileSync(join(dir, `${++n}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('ready\n'));
const stop = (): void => { server.close(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
