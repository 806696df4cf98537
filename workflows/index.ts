// Every workflow the worker runs. One file per process.
export { rosterSyncWorkflow } from './roster-sync';
