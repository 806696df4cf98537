// Resident (RSS) and proportional (PSS) memory of a process tree, per kind of process, read from /proc (Linux).
// PSS splits pages shared between processes (PostgreSQL's shared buffers, libraries) so the parts add up.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  pid: number;
  name: string;
  rssMb: number;
  pssMb: number;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The process's name, except that PostgreSQL's connections (`postgres: <user> <database> <host>`, ~15 MB RSS each,
 * mostly shared) are told apart from its server processes: they come and go with the app's pools (closed after 10 s
 * idle), so a sample that falls while some work runs (the hourly prune 30 s after start, a workflow's step) counts
 * them; printed apart, they are not mistaken for the server's idle size.
 */
function kindOf(pid: number): string {
  const name = read(`/proc/${pid}/comm`).trim();
  const title = read(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');
  return name === 'postgres' && /^postgres: \S+ \S+ \d/.test(title) ? 'pg connections' : name;
}

/** Every live process under `rootPids` (themselves included) with its memory. */
export function treeProcesses(rootPids: number[]): ProcessMemory[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = read(`/proc/${entry}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const all = new Set<number>();
  const walk = (pid: number) => {
    if (all.has(pid)) return;
    all.add(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  rootPids.forEach(walk);
  return [...all].map((pid) => {
    const rollup = read(`/proc/${pid}/smaps_rollup`);
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    return { pid, name: kindOf(pid), rssMb: kb('Rss') / 1024, pssMb: kb('Pss') / 1024 };
  });
}

/** The tree's memory summed per process name (node, temporal, postgres), rounded to whole MB. */
export function memoryByKind(rootPids: number[]): Map<string, { rssMb: number; pssMb: number; count: number }> {
  const kinds = new Map<string, { rssMb: number; pssMb: number; count: number }>();
  for (const p of treeProcesses(rootPids)) {
    if (!p.rssMb) continue; // exited while we read
    const kind = kinds.get(p.name) ?? { rssMb: 0, pssMb: 0, count: 0 };
    kinds.set(p.name, { rssMb: kind.rssMb + p.rssMb, pssMb: kind.pssMb + p.pssMb, count: kind.count + 1 });
  }
  return kinds;
}
