// The reader thread's entry when LawDesk runs from its TypeScript sources (tsx for the app, vitest for the tests):
// a worker thread starts with no TypeScript loader of its own, so it registers tsx before loading the reader.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
