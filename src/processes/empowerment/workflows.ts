export { empowermentRoundWorkflow } from './round-workflow';
export { empowermentRoundsWorkflow } from './rounds-workflow';
export { empowermentTermWatchWorkflow } from './term-watch';
