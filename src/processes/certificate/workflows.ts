export { certificateCaseWorkflow } from './workflow';
export { certificateExpiryWatchWorkflow } from './expiry-watch';
