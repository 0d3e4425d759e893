/** An error the user can cause and fix (bad file, bad config, missing interface,
 * unreachable server). The CLI prints its message as one line and exits 2;
 * anything else is a bug and crashes loudly. The message names the thing and the reason. */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}
