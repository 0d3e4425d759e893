/**
 * The browser (in the root namespace) reaches a daemon listening on a loopback address inside a lab namespace
 * through a unix socket, never a network link into the namespace: a forwarder inside it takes the socket to
 * 127.0.0.1:PORT there, and a proxy here takes 127.0.0.1:(free port) to the socket. The proxy is the test's
 * switch: it can cut every open connection and hold new ones off (the page's stream drops, as behind a proxy
 * that restarts).
 */
import net from 'node:net';
import { once } from 'node:events';
import type { Netns } from '../e2e/netns.js';

/** Runs inside the namespace: unix socket argv[1] → 127.0.0.1:argv[2]. Prints `ready` once listening. */
const FORWARDER = `
const net = require('node:net');
const [sock, port] = process.argv.slice(1);
net.createServer((c) => {
  const u = net.connect(Number(port), '127.0.0.1');
  c.pipe(u).pipe(c);
  for (const [a, b] of [[c, u], [u, c]]) { a.on('error', () => b.destroy()); a.on('close', () => b.destroy()); }
}).listen(sock, () => console.log('ready'));
`;

export class SocketBridge {
  private readonly open = new Set<net.Socket>();
  private held = false;

  private constructor(private readonly server: net.Server, private readonly sock: string, readonly url: string) {}

  /** The forwarder in `ns` on `sock` to its 127.0.0.1:`port`, and the proxy here; resolves once both listen. */
  static async start(ns: Netns, sock: string, port: number): Promise<SocketBridge> {
    const fwd = ns.spawn([process.execPath, '-e', FORWARDER, sock, String(port)], { maxSeconds: 300 });
    await new Promise<void>((resolve, reject) => {
      fwd.stdout?.setEncoding('utf8').on('data', (s: string) => { if (s.includes('ready')) resolve(); });
      fwd.once('exit', (code) => reject(new Error(`forwarder in ${ns.name} exited (${code})`)));
    });
    let bridge: SocketBridge | null = null;
    const server = net.createServer((c) => bridge!.accept(c));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    bridge = new SocketBridge(server, sock, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    return bridge;
  }

  private accept(c: net.Socket): void {
    if (this.held) {
      c.destroy();
      return;
    }
    const u = net.connect(this.sock);
    c.pipe(u).pipe(c);
    this.open.add(c);
    for (const [a, b] of [[c, u], [u, c]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => { b.destroy(); this.open.delete(c); });
    }
  }

  /** Cuts every open connection and refuses new ones until release(). */
  hold(): number {
    this.held = true;
    const n = this.open.size;
    for (const c of this.open) c.destroy();
    this.open.clear();
    return n;
  }

  release(): void {
    this.held = false;
  }

  async close(): Promise<void> {
    this.hold();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
