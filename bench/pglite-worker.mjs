// `--pglite-worker`: PGlite and its socket server on a worker thread, so the embedded database's WASM runs
// on the second core instead of sharing the bot's event loop. Plain JS so the worker needs no TS loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const db = await PGlite.create(workerData.dir);
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: workerData.port, maxConnections: 32 });
await server.start();
parentPort.on('message', async (message) => {
  if (message !== 'stop') return;
  await server.stop();
  await db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
