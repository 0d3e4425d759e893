import { type Command, Option } from 'commander';
import { runCommand } from './user-facing.js';

/**
 * The operator's tools around the warning emails: `cooldown list|clear` and `email test`.
 * Registered from main.ts in one line; each command's module loads when it runs.
 */
export function registerEmailTools(program: Command): void {
  const cooldown = program.command('cooldown').description('the cooldowns that hold back a second email for a customer, IP and case (queue.cooldown_hours); stored in Redis');
  cooldown
    .command('list')
    .description('every cooldown in force: customer, IP, case, until when, and the email (job, incidents) that set it')
    .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (o: { config?: string; format: 'text' | 'json' }) => {
      await runCommand(async () => (await import('./cooldown.js')).cooldownListCommand(o));
    });
  const clear = cooldown.command('clear').description('remove the cooldowns of a customer or an IP (every case): its next incident is mailed at once');
  for (const kind of ['customer', 'ip'] as const) {
    clear
      .command(kind)
      .argument(kind === 'customer' ? '<id>' : '<ip>', kind === 'customer' ? 'customer id (as in the inventory)' : 'IPv4 address')
      .option('--config <file>', 'configuration YAML (queue.redis_url); default: /etc/arpwarden/arpwarden.yaml when it exists')
      .action(async (value: string, o: { config?: string }) => {
        await runCommand(async () => (await import('./cooldown.js')).cooldownClearCommand(kind, value, o));
      });
  }

  const email = program.command('email').description('the warning emails\' relay');
  email
    .command('test')
    .description('send one short test email through the configured relay (smtp:, in email.from\'s name) and print the relay\'s answer')
    .requiredOption('--to <address>', 'the mailbox to send it to')
    .option('--config <file>', 'configuration YAML (smtp, email)')
    .action(async (o: { to: string; config?: string }) => {
      await runCommand(async () => (await import('./email-test.js')).emailTestCommand(o));
    });
}
