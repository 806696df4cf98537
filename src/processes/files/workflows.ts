export { fileImportWorkflow } from './workflow';
