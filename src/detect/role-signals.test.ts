import { describe, expect, it } from 'vitest';
import { ArpPacket } from '../decode/arp-packet.js';
import { type InventoryIndex, ROLE_BLOCK, ROLE_FAILOVER, ROLE_NONE, ROLE_PORTABLE } from '../inventory/inventory-index.js';
import type { PortableBlock, RoutedBlock, Server } from '../inventory/model.js';
import { QUESTION_ONLY, roleSignals } from './role-signals.js';
import { isQuestion } from './rules/rule.js';
import { SenderRole } from './sender-role.js';
import { SIGNALS, SignalKind } from './signals.js';

const VMAC = 0x02000000aaaa;
const SERVER_MAC = 0x02000000bbbb;
const GW = 0xc0000201; // 192.0.2.1
const range = { network: 0xc6336400, prefix: 29, mask: 0xfffffff8, broadcast: 0xc6336407 }; // 198.51.100.0/29
const server = { mac: SERVER_MAC, gateway: GW } as unknown as Server;

function role(kind: number, virtualMac = -1): SenderRole {
  const r = new SenderRole();
  r.kind = kind;
  r.virtualMac = virtualMac;
  r.serverMac = SERVER_MAC;
  r.gateway = GW;
  if (kind === ROLE_BLOCK) r.block = { cidr: '198.51.100.0/29', range, split: false, server } as RoutedBlock;
  if (kind === ROLE_PORTABLE) r.portable = { cidr: '198.51.100.0/29', range, gateway: range.network + 1 } as unknown as PortableBlock;
  return r;
}

/** Frames of every shape the rules tell apart: op, sender MAC, sender IP (block edges), target (gateway, in and out of the block). */
function* frames(): Generator<ArpPacket> {
  for (const op of [1, 2]) for (const mac of [VMAC, SERVER_MAC, 0x020000000001]) {
    for (const sip of [range.network, range.network + 1, range.network + 3, range.broadcast, 0xcb007105]) {
      for (const tip of [GW, range.network + 2, 0xcb007109, sip]) {
        const p = new ArpPacket();
        Object.assign(p, { op, senderMac: mac, senderIp: sip, targetIp: tip, gratuitous: sip === tip, probe: false });
        yield p;
      }
    }
  }
}

const inv = { isRoutedTarget: () => true } as unknown as InventoryIndex;

describe('roleSignals', () => {
  const roles: [string, SenderRole][] = [
    ['none', role(ROLE_NONE)], ['failover', role(ROLE_FAILOVER)], ['failover with a virtual MAC', role(ROLE_FAILOVER, VMAC)],
    ['unsplit block', role(ROLE_BLOCK)], ['portable block', role(ROLE_PORTABLE)],
  ];
  it.each(roles)('skips only rules that cannot hold for a sender of role %s', (_name, r) => {
    const mask = roleSignals(r);
    SIGNALS.forEach((s, k) => {
      if ((mask & (1 << k)) !== 0 || !('match' in s.trigger)) return;
      for (const p of frames()) expect(s.trigger.match(p, r, inv), `${s.name} on op ${p.op} ${p.senderIp.toString(16)} → ${p.targetIp.toString(16)}`).toBe(false);
    });
  });

  it.each(roles)('QUESTION_ONLY rules never hold for a frame that is not a question (role %s)', (_name, r) => {
    SIGNALS.forEach((s, k) => {
      if ((QUESTION_ONLY & (1 << k)) === 0) return;
      expect('match' in s.trigger, s.name).toBe(true);
      if (!('match' in s.trigger)) return;
      for (const p of frames()) {
        for (const probe of [false, true]) {
          p.probe = probe;
          if (!isQuestion(p)) expect(s.trigger.match(p, r, inv), `${s.name} on op ${p.op}`).toBe(false);
        }
      }
    });
  });

  it('keeps each routed rule for the role it is about, and none for an unrouted sender', () => {
    expect(roleSignals(role(ROLE_FAILOVER)) & (1 << SignalKind.OFF_LINK_TARGET)).not.toBe(0);
    expect(roleSignals(role(ROLE_FAILOVER, VMAC)) & (1 << SignalKind.WRONG_GATEWAY)).not.toBe(0);
    expect(roleSignals(role(ROLE_PORTABLE)) & (1 << SignalKind.UNUSABLE_ADDRESS)).not.toBe(0);
    expect(roleSignals(role(ROLE_BLOCK)) & (1 << SignalKind.MAC_MISMATCH)).not.toBe(0);
    const none = roleSignals(role(ROLE_NONE));
    SIGNALS.forEach((s, k) => expect((none & (1 << k)) !== 0, s.name).toBe(!s.routedOnly));
  });
});
