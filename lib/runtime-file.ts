import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The embedded servers (PGlite over a socket, the Temporal dev server) belong to the process that started
// them. It writes where they listen to DATA_DIR/run/<name>.json so a CLI run on the same DATA_DIR uses them
// instead of opening the same files a second time.
export interface RuntimeEntry {
  pid: number;
  address: string;
  startedAt: string;
}

function filePath(dataDir: string, name: string): string {
  return path.join(dataDir, 'run', `${name}.json`);
}

export function writeRuntimeEntry(dataDir: string, name: string, address: string): void {
  mkdirSync(path.join(dataDir, 'run'), { recursive: true });
  const entry: RuntimeEntry = { pid: process.pid, address, startedAt: new Date().toISOString() };
  writeFileSync(filePath(dataDir, name), JSON.stringify(entry));
}

export function removeRuntimeEntry(dataDir: string, name: string): void {
  rmSync(filePath(dataDir, name), { force: true });
}

/** The entry of a live owner, or undefined when none was written or its process is gone. */
export function readRuntimeEntry(dataDir: string, name: string): RuntimeEntry | undefined {
  let entry: RuntimeEntry;
  try {
    entry = JSON.parse(readFileSync(filePath(dataDir, name), 'utf8')) as RuntimeEntry;
  } catch {
    return undefined;
  }
  try {
    process.kill(entry.pid, 0);
    return entry;
  } catch {
    return undefined;
  }
}
