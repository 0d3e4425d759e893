import { type FrameRule, isQuestion } from './rule.js';

/** `who-has F` where F is statically routed: the router never ARPs for it, so the asker wrongly treats F as on-link. */
export const routedIpTarget: FrameRule = (p, _role, inv) => isQuestion(p) && p.targetIp !== p.senderIp && inv.isRoutedTarget(p);
