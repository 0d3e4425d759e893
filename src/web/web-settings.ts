import { isIP } from 'node:net';
import type { WebConfig } from '../config/schema.js';
import { UserError } from '../common/user-error.js';

/** Where the web API listens and the token that guards it, resolved from the configuration and `--web`. */
export interface WebSettings {
  host: string;
  port: number;
  /** null: no token, so the host is loopback */
  token: string | null;
}

/**
 * The web API's settings, or null when it is off. `flag` (`capture --web HOST:PORT`) overrides `web.listen`.
 * Refuses, in one line, a non-loopback address without a token: the API shows customers' IPs and servers.
 */
export function webSettings(config: WebConfig, flag: string | undefined, env: NodeJS.ProcessEnv = process.env): WebSettings | null {
  const listen = flag ?? config.listen;
  if (listen === null) return null;
  const { host, port } = parseListen(listen, flag !== undefined ? '--web' : 'web.listen');
  let token = config.token ?? null;
  if (config.token_env !== undefined) {
    const v = env[config.token_env];
    if (v === undefined || v.length < 16) throw new UserError(`web.token_env: ${config.token_env} is ${v === undefined ? 'not set' : 'shorter than 16 characters'} in the environment`);
    token = v;
  }
  if (token === null && !isLoopback(host)) {
    throw new UserError(`web: refusing to listen on ${listen} without web.token: only a loopback address (127.0.0.1, ::1) may serve the API unauthenticated`);
  }
  return { host, port, token };
}

/** `HOST:PORT` or `[IPv6]:PORT`. */
export function parseListen(listen: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(listen);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535) throw new UserError(`${what}: ${JSON.stringify(listen)} is not HOST:PORT (e.g. 127.0.0.1:9740, [::1]:9740)`);
  const host = m[1] ?? m[2];
  if (m[1] !== undefined && isIP(host) !== 6) throw new UserError(`${what}: ${host} is not an IPv6 address`);
  return { host, port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
