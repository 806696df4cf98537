import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Files the app reads at run time (migrations, the shipped calendar, prompts, the sandbox's page, the workflow bundle)
// are found from the project's root, not from the importing module: the same code runs from the TypeScript sources
// (tsx, vitest) and bundled into dist/ (npm start), where a module's own folder is somewhere else.
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lawdesk')
      return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`找不到 LawDesk 的项目目录(从 ${from} 向上没有 name 为 lawdesk 的 package.json)`);
  }
}

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);

/** A path inside the project, e.g. `fromProjectRoot('prisma', 'migrations')`. */
export const fromProjectRoot = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
