import { spawn } from 'node:child_process';

/** An 802.1Q-tagged ARP request, who-has `target` tell `sender`, broadcast from `mac`. */
export function arpRequest(mac: string, vlan: number, sender: string, target: string): Buffer {
  const m = Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
  const ip = (s: string): Buffer => Buffer.from(s.split('.').map(Number));
  const vlanTag = Buffer.alloc(4);
  vlanTag.writeUInt16BE(0x8100, 0);
  vlanTag.writeUInt16BE(vlan, 2);
  const arp = Buffer.concat([Buffer.from([0, 1, 8, 0, 6, 4, 0, 1]), m, ip(sender), Buffer.alloc(6), ip(target)]);
  const frame = Buffer.concat([Buffer.alloc(6, 0xff), m, vlanTag, Buffer.from([0x08, 0x06]), arp]);
  return Buffer.concat([frame, Buffer.alloc(Math.max(0, 64 - frame.length))]);
}

/** Sends the frames out of `dev` through an AF_PACKET socket (python3: Node has none), `gapMs` apart. */
export function sendFrames(dev: string, frames: Buffer[], gapMs: number): Promise<void> {
  const script = [
    'import socket, sys, time',
    's = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)',
    `s.bind((${JSON.stringify(dev)}, 0))`,
    'for line in sys.stdin:',
    '    s.send(bytes.fromhex(line.strip()))',
    `    time.sleep(${gapMs / 1000})`,
  ].join('\n');
  return new Promise((resolve, reject) => {
    const p = spawn('python3', ['-c', script], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`python3 exited ${code}: ${err}`))));
    p.stdin.end(frames.map((f) => f.toString('hex')).join('\n') + '\n');
  });
}
