/** Case 2, virtual MAC not used, in English. */
import { serverName, serverSuffix } from '../../templates/context.js';
import { code, p, t } from '../../templates/doc.js';
import { whoHas } from '../../templates/snippets.js';
import type { VmacMissingText } from '../../templates/vmac-missing.js';
import { ipLink, netplanMatch } from '../../templates/vmac-missing.js';
import { VM } from './vmac-gateway.js';

export const vmacMissing: VmacMissingText = (x, G, vm, seen) => ({
  subject: `Failover IP ${x.ip}: the virtual MAC is not used`,
  summary: [
    p`Our monitoring has found a configuration problem on the failover IP ${x.ip}, routed to your server${serverSuffix(x)} with the virtual MAC ${vm}. The machine using this IP sends from another MAC address, ${seen}: most likely a virtual machine whose network card kept the MAC its hypervisor generated.`,
    p`This is not an outage of our network, but these frames disturb it, and the IP can only work partly this way (see the questions at the end). The fix takes a few minutes.`,
  ],
  fix: [
    p`Give the VM's network card the virtual MAC ${vm}, in your hypervisor:`,
    VM.hypervisors(vm),
    p`Then restart the VM (or its network). Some systems tie their configuration to the old MAC (a ${netplanMatch} in netplan, a udev rule, a NetworkManager connection bound to a MAC): update those too.`,
    p`For reference, the VM's own network configuration:`,
    VM.values(x),
    ...VM.config(x),
  ],
  saw: [p`Each line carries ${x.ip} as its sender, but comes from the MAC ${seen}, not from ${vm}.`],
  check: {
    where: `On ${serverName(x, 'your server')}, on the bridge the VM is attached to, or in the VM`,
    good: [t`frames for ${x.ip} from ${vm} only, such as ${whoHas(G, x.ip)} followed by a reply`],
    bad: [t`any frame for ${x.ip} from ${seen} or from another MAC`],
    extra: [p`And in the VM: ${ipLink} must show ${code(`link/ether ${vm}`)}.`],
  },
  works: [
    p`The router sends the traffic for ${x.ip} to the virtual MAC ${vm}. If no network card carries that MAC, the switches flood those frames to every port of the VLAN; and the VM answers from a MAC the router does not expect for this IP. As long as the caches happen to line up, some traffic gets through; when they expire, connections slow down or drop.`,
  ],
});
