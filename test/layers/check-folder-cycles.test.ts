import { describe, expect, it } from 'vitest';
import { type CruisedModule, folderCycles, formatFolderCycles } from '../../scripts/check-folder-cycles.js';

/** Modules from `from → to` pairs. */
const graph = (...imports: Array<[string, string]>): CruisedModule[] => {
  const modules = new Map<string, CruisedModule & { dependencies: Array<{ resolved: string }> }>();
  for (const [from, to] of imports) {
    if (!modules.has(from)) modules.set(from, { source: from, dependencies: [] });
    modules.get(from)!.dependencies.push({ resolved: to });
  }
  return [...modules.values()];
};

describe('folder cycles', () => {
  it('finds two folders that import each other through different files', () => {
    const cycles = folderCycles(
      graph(['src/common/cidr.ts', 'src/decode/addr.ts'], ['src/decode/format.ts', 'src/common/time.ts'], ['src/decode/addr.ts', 'src/decode/format.ts']),
    );
    expect(cycles).toEqual([
      {
        folders: ['common', 'decode'],
        imports: [
          { from: 'src/common/cidr.ts', to: 'src/decode/addr.ts' },
          { from: 'src/decode/format.ts', to: 'src/common/time.ts' },
        ],
      },
    ]);
    expect(formatFolderCycles(cycles)[0]).toBe('error no-folder-cycle: src/common/cidr.ts → src/decode/addr.ts (folders common ⇄ decode)');
  });

  it('finds a cycle through three folders, nested files counting for their top folder', () => {
    const cycles = folderCycles(
      graph(['src/a/x.ts', 'src/b/deep/y.ts'], ['src/b/deep/y.ts', 'src/c/z.ts'], ['src/c/z.ts', 'src/a/w.ts'], ['src/c/z.ts', 'src/d/v.ts']),
    );
    expect(cycles.map((c) => c.folders)).toEqual([['a', 'b', 'c']]);
    expect(cycles[0]!.imports).toHaveLength(3);
  });

  it('finds none in a layered graph, within a folder, or outside src/', () => {
    const cycles = folderCycles(
      graph(
        ['src/a/x.ts', 'src/b/y.ts'],
        ['src/b/y.ts', 'src/c/z.ts'],
        ['src/a/x.ts', 'src/c/z.ts'],
        ['src/c/z.ts', 'src/c/w.ts'],
        ['src/c/w.ts', 'src/c/z.ts'],
        ['src/c/z.ts', 'node_modules/zod/index.js'],
        ['test/helpers/arp.ts', 'src/a/x.ts'],
      ),
    );
    expect(cycles).toEqual([]);
  });
});
