import { createServer } from 'node:net';

// Loopback ports for the servers LawDesk starts itself (embedded PostgreSQL socket, Temporal dev server).

/** Asks the OS for a free TCP port on `host` (free now; it may be taken again before it is used). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      const { port } = addr;
      srv.close((err) => (err ? reject(err) : resolvePort(port)));
    });
  });
}

/** The usual port when it is free (so bookmarks such as the Temporal Web UI keep working), else any free one. */
export async function preferredPort(port: number, host = '127.0.0.1'): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
  return free ? port : freePort(host);
}
