import { run } from './run';

// `npm run worker`: the Temporal worker only; run any number on the same task queue.
await run({ receiver: false, worker: true });
