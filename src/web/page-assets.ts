import { readFileSync } from 'node:fs';

/** The page's files, beside this module in page/ (the build copies src/web/page/ to dist/web/page/). */
const PAGE_DIR = new URL('./page/', import.meta.url);

export interface PageAsset {
  readonly type: string;
  readonly body: string;
}

/** route → file: the whole page, no build step, nothing from elsewhere */
const FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/page/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/page/app.css': ['app.css', 'text/css; charset=utf-8'],
};

export const PAGE_ROUTES: readonly string[] = Object.keys(FILES);

/** Read once, at the first request: they do not change while the daemon runs. */
let cache: Map<string, PageAsset> | null = null;

export function pageAsset(route: string): PageAsset | undefined {
  cache ??= new Map(Object.entries(FILES).map(([r, [file, type]]) => [r, { type, body: readFileSync(new URL(file, PAGE_DIR), 'utf8') }]));
  return cache.get(route);
}
