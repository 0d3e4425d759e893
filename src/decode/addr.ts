/** The address conversions live in common/ (config loading needs them too); re-exported for decode's importers. */
export { BROADCAST_MAC, ipToString, macToString, parseIp, parseMac } from '../common/addr.js';
