import { run } from './run';

// `npm run bot`: the stateless receiver only (webhook or long connection); run any number behind a balancer.
await run({ receiver: true, worker: false });
