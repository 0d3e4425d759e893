/**
 * A provider VLAN built from network namespaces: one namespace holds a Linux
 * bridge (the VLAN's switch), every host namespace is plugged into it by a veth
 * pair, and a span port gets a copy of everything the VLAN carries, as the
 * router's mirror port does in production.
 *
 * The bridge behaves as a hub: it learns no address (`learning off` on every
 * port, `ageing_time 0` on the bridge), so each frame, unicast ARP replies
 * included, is flooded to every port, the span port among them.
 */
import type { Netns } from './netns.js';

const BRIDGE = 'br0';

export class ProviderVlan {
  private ports = 0;

  private constructor(readonly ns: Netns) {}

  /** Creates the bridge inside `ns` (a namespace of its own, with nothing else in it). */
  static async create(ns: Netns): Promise<ProviderVlan> {
    await ns.ip('link', 'add', BRIDGE, 'type', 'bridge', 'ageing_time', '0', 'stp_state', '0');
    await ns.up(BRIDGE);
    return new ProviderVlan(ns);
  }

  /** Plugs a host in: its end of the veth is `dev` in `host` (with `mac` if given), the other end a bridge port. */
  async plug(host: Netns, dev: string, mac?: string): Promise<void> {
    const port = `p${++this.ports}`;
    await this.ns.lab.veth({ ns: this.ns, name: port }, { ns: host, name: dev, mac });
    await this.ns.ip('link', 'set', port, 'master', BRIDGE);
    await this.ns.ip('link', 'set', port, 'type', 'bridge_slave', 'learning', 'off', 'flood', 'on', 'mcast_flood', 'on');
    await this.ns.up(port);
  }

  /** The span port: `dev` in `capture` receives every frame of the VLAN (the capture puts it in promiscuous mode). */
  async span(capture: Netns, dev: string): Promise<void> {
    await this.plug(capture, dev);
  }
}
