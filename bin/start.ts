import { run } from './run';

// `npm start`: receiver and worker in one process, embedded PostgreSQL and Temporal where none is configured.
await run({ receiver: true, worker: true });
