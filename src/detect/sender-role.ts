import type { ArpPacket } from '../decode/arp-packet.js';
import type { InventoryIndex, IpRole } from '../inventory/inventory-index.js';
import type { FailoverIp, PortableBlock, RoutedBlock } from '../inventory/model.js';

/** What the inventory says the sender IP of a frame is; looked up once per frame, one object reused. */
export class SenderRole implements IpRole {
  /** a routed single IP (failover / portable IP, or split-block member) */
  failover: FailoverIp | undefined = undefined;
  /** the unsplit routed block holding it */
  block: RoutedBlock | undefined = undefined;
  /** the portable block holding it */
  portable: PortableBlock | undefined = undefined;

  /** The role of the frame's sender IP (the packet, not the IP: see InventoryIndex.isProviderFrame). */
  lookup(inv: InventoryIndex, p: Readonly<ArpPacket>): this {
    inv.roleOfSender(p, this);
    return this;
  }
}
