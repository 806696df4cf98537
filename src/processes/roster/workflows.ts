export { rosterSyncWorkflow } from './sync-workflow';
