export { dailyDigestWorkflow } from './digest-workflow';
