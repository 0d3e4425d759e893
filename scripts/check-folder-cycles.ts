/**
 * Cycles between src/ folders, from dependency-cruiser's modules: its `no-circular` sees files,
 * but two folders that import each other through different files are tied all the same.
 */

/** The part of dependency-cruiser's IModule this check reads. */
export interface CruisedModule {
  source: string;
  dependencies: ReadonlyArray<{ resolved: string }>;
}

/** One set of folders that reach each other, with every import that ties them. */
export interface FolderCycle {
  folders: string[];
  imports: Array<{ from: string; to: string }>;
}

export const FOLDER_CYCLE_RULE = 'no-folder-cycle';

/** The stage a file belongs to: its first folder under src/, or undefined outside a src/ folder. */
export function srcFolder(file: string): string | undefined {
  return /^src\/([^/]+)\//.exec(file)?.[1];
}

export function folderCycles(modules: readonly CruisedModule[]): FolderCycle[] {
  const edges = new Map<string, Map<string, Array<{ from: string; to: string }>>>();
  for (const m of modules) {
    const a = srcFolder(m.source);
    if (a === undefined) continue;
    for (const d of m.dependencies) {
      const b = srcFolder(d.resolved);
      if (b === undefined || b === a) continue;
      let out = edges.get(a);
      if (!out) edges.set(a, (out = new Map()));
      let via = out.get(b);
      if (!via) out.set(b, (via = []));
      via.push({ from: m.source, to: d.resolved });
    }
  }
  return stronglyConnected(edges)
    .filter((folders) => folders.length > 1)
    .map((folders) => {
      const inCycle = new Set(folders);
      const imports = folders.flatMap((a) =>
        [...(edges.get(a) ?? [])].filter(([b]) => inCycle.has(b)).flatMap(([, via]) => via),
      );
      imports.sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
      return { folders: folders.sort(), imports };
    })
    .sort((x, y) => x.folders.join().localeCompare(y.folders.join()));
}

/** One line per import that ties a cycle, in the form dependency-cruiser's `err` reporter uses. */
export function formatFolderCycles(cycles: readonly FolderCycle[]): string[] {
  return cycles.flatMap((c) =>
    c.imports.map((i) => `error ${FOLDER_CYCLE_RULE}: ${i.from} → ${i.to} (folders ${c.folders.join(' ⇄ ')})`),
  );
}

/** Tarjan's algorithm: the graph's strongly connected components. */
function stronglyConnected(edges: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return components;
}
