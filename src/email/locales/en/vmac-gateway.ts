/** Case 2, wrong gateway on the VM, in English; and the parts the case-2 emails share. */
import { serverName, serverSuffix } from '../../templates/context.js';
import { code, p, t, ul } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmacGatewayText, VmParts } from '../../templates/vmac-gateway.js';
import { hypervMac, ipRoute, libvirtMac, vmConfig, vmGateway, vmTable } from '../../templates/vmac-gateway.js';

/** What the case-2 emails share (vmac-missing too). */
export const VM: VmParts = {
  values: (x) => vmTable(x, t`${code(vmGateway(x))}, the gateway of ${serverName(x, 'your server')}, reached directly on the interface`),
  config: vmConfig,
  hypervisors: (vm) =>
    ul(
      t`Proxmox VE: the VM, Hardware, Network Device, MAC address;`,
      t`libvirt/KVM: ${libvirtMac(vm)} in the VM's ${code('<interface>')} element (${code('virsh edit')});`,
      t`Hyper-V: Settings, Network Adapter, Advanced Features, MAC address: Static, or in PowerShell ${hypervMac(vm)} (VM: the VM's name);`,
      t`VMware ESXi: Edit settings, Network adapter, MAC address: Manual.`,
    ),
};

export const vmacGateway: VmacGatewayText = (x, G, vm, wrong) => ({
  subject: `Failover IP ${x.ip}: wrong gateway on the virtual machine`,
  summary: [
    p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)} with the virtual MAC ${vm}. The virtual MAC is in use, which is right, but the machine using it asks for ${wrong === undefined ? 'another gateway' : `the gateway ${wrong}`}, which is not a gateway for this IP. A failover IP with a virtual MAC always uses the gateway of its host server: ${G}.`,
    p`This is not an outage of our network, but these requests disturb it, and the virtual machine's own connections suffer from them (see the questions at the end). The fix is a change of one or two lines in the virtual machine.`,
  ],
  fix: [
    p`In the virtual machine that uses ${x.ip}, set:`,
    VM.values(x),
    ...VM.config(x),
    p`The interface's MAC stays ${vm}: it is set on the VM's network card, in your hypervisor.`,
  ],
  saw: wrong === undefined ? [] : [p`Each line is the virtual machine (MAC ${vm}) asking who has ${wrong}, the gateway it is configured with. That address is not the gateway of ${x.ip}; the right one is ${G}.`],
  check: {
    where: `In the virtual machine, or on ${serverName(x, 'your server')} on the bridge the VM is attached to`,
    good: [t`requests ${whoHas(G, x.ip)} sent from ${vm}, each followed by a reply from the gateway`],
    bad: [
      wrong === undefined ? t`requests for any other address than ${G}` : t`requests for ${wrong}, or for any other address than ${G}`,
      t`frames for ${x.ip} from a MAC other than ${vm}`,
    ],
    extra: [p`And in the VM: ${ipRoute} must show the default route via ${G}.`],
  },
  works: [
    p`The router sends the traffic for ${x.ip} to the virtual MAC ${vm}, so incoming packets reach the VM whatever its gateway. Outgoing traffic is another matter: the VM hands it to ${wrong ?? 'another address'}, not to its gateway. Its connections then depend on the ARP caches and on whoever happens to answer for that address: they work for a while, then stall.`,
  ],
});
