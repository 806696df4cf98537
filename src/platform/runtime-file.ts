import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The embedded servers (PostgreSQL, the Temporal dev server) are started by one process; it writes where they
// listen to DATA_DIR/run/<name>.json so a CLI run on the same DATA_DIR uses them instead of opening the same
// files a second time. The entry lives as long as its pid: the starting process's, or the server's own.
// PostgreSQL's address carries its password, so the folder and the files are readable by their owner only.
export interface RuntimeEntry {
  pid: number;
  address: string;
  startedAt: string;
}

function filePath(dataDir: string, name: string): string {
  return path.join(dataDir, 'run', `${name}.json`);
}

export function writeRuntimeEntry(dataDir: string, name: string, address: string, pid = process.pid): void {
  mkdirSync(path.join(dataDir, 'run'), { recursive: true, mode: 0o700 });
  const entry: RuntimeEntry = { pid, address, startedAt: new Date().toISOString() };
  const file = filePath(dataDir, name);
  // A new file renamed over the old one: readers never see half an entry, and the mode is always 0600.
  const fresh = `${file}.${process.pid}.tmp`;
  writeFileSync(fresh, JSON.stringify(entry), { mode: 0o600 });
  renameSync(fresh, file);
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
