import { UserError } from '../common/user-error.js';
import { buildApp, type WebDeps } from './app.js';
import type { WebSettings } from './web-settings.js';

export interface RunningWebServer {
  /** http://HOST:PORT/ as bound (the port the kernel chose for port 0) */
  readonly url: string;
  close(): Promise<void>;
}

/** The web API listening on its address; a port taken or an address not ours is one line, not a stack. */
export async function startWebServer(settings: WebSettings, deps: Omit<WebDeps, 'token'>): Promise<RunningWebServer> {
  const app = buildApp({ ...deps, token: settings.token });
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (e) {
    await app.close();
    const code = (e as NodeJS.ErrnoException).code;
    const where = `${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${settings.port}`;
    if (code === 'EADDRINUSE') throw new UserError(`web: ${where} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') throw new UserError(`web: cannot listen on ${where} (${code})`);
    throw e;
  }
  const a = app.server.address();
  const url = a !== null && typeof a === 'object' ? `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/` : `http://${settings.host}:${settings.port}/`;
  let closed: Promise<void> | null = null;
  return { url, close: () => (closed ??= app.close()) };
}
