/** Case 3, a VM without virtual MAC bridged onto the segment, in English. */
import { serverSuffix, targetList } from '../../templates/context.js';
import { code, h3, p, t } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmNatGatewayText } from '../../templates/vm-nat-gateway.js';
import { interfacesFile, routedFix } from '../../templates/vm-nat-gateway.js';

const text: VmNatGatewayText['text'] = (x, v) => ({
  subject: `Failover IP ${x.ip}: virtual machine without virtual MAC, wrong gateway`,
  summary: [
    p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)} without a virtual MAC. It is used by a machine with a MAC address of its own, ${v.seen}, most likely a virtual machine bridged onto the network${v.asked === undefined ? '' : `, which asks for the gateway ${v.asked}`}. Without a virtual MAC, a VM must not talk to the network directly: its traffic goes through the host, and its gateway is the host's own IP, ${v.M}.`,
    p`This is not an outage of our network, but these frames disturb it, and the IP can only work partly this way (see the questions at the end). There are two ways to fix it, described below.`,
  ],
  fix: [
    h3('Either: route the VM through the host'),
    ...routedFix(x, v, {
      vmSet: p`In the virtual machine, set:`,
      gateway: t`${code(v.M)}, the main IP of ${v.host}, reached directly on the interface`,
      host: p`On the host, the VM's network card must no longer be bridged to the physical interface: attach it to a bridge without a physical port, route ${x.ip} to that bridge, and turn on IP forwarding. With ifupdown (Debian, Proxmox VE), in ${interfacesFile} on ${v.host} (vmbr1 is an example name):`,
      forwarding: p`and for the forwarding:`,
      windowsHost: p`With Windows Server and Hyper-V on ${v.host}, in PowerShell as administrator (VM being the virtual machine's name in Hyper-V, ${code('Ethernet')} the physical interface): an internal switch is the bridge without a physical port, and the host routes ${x.ip} to it, with no NAT:`,
      after: p`The VM's frames then leave your server with the server's own MAC, ${v.Ms}, as the router expects.`,
    }),
    h3('Or: order a virtual MAC'),
    p`Order a virtual MAC for ${x.ip} in your control panel, give it to the VM's network card in your hypervisor, and keep ${v.G} as the gateway, reached on the interface in the same way (the configuration above, with ${v.G} in place of ${v.M}). The VM can then stay bridged.`,
  ],
  saw: [p`Each line is sent by ${v.seen}, which is not your server's MAC (${v.Ms}), on behalf of ${x.ip}${x.targets.length > 0 ? t`, asking who has ${targetList(x)}` : ''}.`],
  check: {
    where: `On ${v.host}, on the physical interface`,
    good: [
      t`frames for ${x.ip} only from your server's MAC, ${v.Ms}`,
      t`in the VM, routed through the host: ${whoHas(v.M, x.ip)}, answered by the host`,
      t`(with a virtual MAC instead: frames for ${x.ip} from that virtual MAC only)`,
    ],
    bad: [t`any frame from ${v.seen} on the physical interface${v.asked === undefined ? '' : t`, such as ${whoHas(v.asked, x.ip)}`}`],
  },
  works: [
    p`The router sends the traffic for ${x.ip} to your server's MAC, ${v.Ms}, and the bridge on your server passes it on to the VM, so the IP answers. But the VM replies from its own MAC, which the router does not expect for this IP, and asks for a gateway that does not serve it. Connections work as long as the caches of the switches and of the router happen to agree, and break when they expire.`,
  ],
});

export const vmNatGateway: VmNatGatewayText = { yourServer: 'your server', text };
