import { describe, expect, it } from 'vitest';
import { UserError } from '../common/user-error.js';
import { defaultConfig } from '../config/schema.js';
import { isLoopback, webSettings } from './web-settings.js';

const web = (o: Partial<ReturnType<typeof defaultConfig>['web']> = {}): ReturnType<typeof defaultConfig>['web'] => ({ ...defaultConfig().web, ...o });
const TOKEN = '0123456789abcdef0123';

describe('webSettings', () => {
  it('is off by default; --web overrides web.listen', () => {
    expect(webSettings(web(), undefined)).toBeNull();
    expect(webSettings(web({ listen: '127.0.0.1:9740' }), '127.0.0.2:1234')).toEqual({ host: '127.0.0.2', port: 1234, token: null });
    expect(webSettings(web(), '[::1]:9740')).toEqual({ host: '::1', port: 9740, token: null });
  });

  it('refuses a non-loopback address without a token, in one line; with a token (or from the environment) it is taken', () => {
    expect(() => webSettings(web({ listen: '0.0.0.0:9740' }), undefined)).toThrow(UserError);
    expect(() => webSettings(web(), '192.0.2.1:9740')).toThrow(/refusing to listen on 192\.0\.2\.1:9740 without web\.token/);
    expect(webSettings(web({ listen: '0.0.0.0:9740', token: TOKEN }), undefined)).toEqual({ host: '0.0.0.0', port: 9740, token: TOKEN });
    expect(webSettings(web({ listen: '0.0.0.0:9740', token_env: 'AW_TOKEN' }), undefined, { AW_TOKEN: TOKEN })?.token).toBe(TOKEN);
    expect(() => webSettings(web({ listen: '0.0.0.0:9740', token_env: 'AW_TOKEN' }), undefined, {})).toThrow(/AW_TOKEN is not set/);
  });

  it('refuses what is not HOST:PORT', () => {
    for (const bad of ['9740', 'host:', 'host:99999', '[nothex]:80', ':80']) expect(() => webSettings(web(), bad), bad).toThrow(UserError);
  });

  it('loopback: 127/8, ::1, localhost', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.0.2.1', '128.0.0.1', 'example.net'].some(isLoopback)).toBe(false);
  });
});
