import { describe, expect, it } from 'vitest';
import { printable, printableLines } from './printable.js';

describe('printable', () => {
  it('escapes ANSI escapes, CR/LF, tabs, C1 controls, line separators and bidi overrides as JSON does', () => {
    expect(printable('Acme\u001b[2J\u001b[31m SA')).toBe('Acme\\u001b[2J\\u001b[31m SA');
    expect(printable('a\r\nfake: line')).toBe('a\\r\\nfake: line');
    expect(printable('tab\there\u0085\u009b')).toBe('tab\\there\\u0085\\u009b');
    expect(printable('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    expect(printable('abc\u202eevil')).toBe('abc\\u202eevil');
    expect(printable('\u0000\u007f')).toBe('\\u0000\\u007f');
  });

  it('leaves every printable character alone, accents and emoji included, and returns the same string when nothing is escaped', () => {
    const s = 'Société Générale — Zürich 日本 🚀 "quoted" \\ back';
    expect(printable(s)).toBe(s);
    expect(printable('')).toBe('');
  });

  it('is the same whatever came before (the regex has no state between calls)', () => {
    expect(printable('a\nb')).toBe('a\\nb');
    expect(printable('a\nb')).toBe('a\\nb');
  });

  it('printableLines keeps the line breaks of a block and escapes within each line', () => {
    expect(printableLines('one\u001b[1m\ntwo\r')).toBe('one\\u001b[1m\ntwo\\r');
  });
});
