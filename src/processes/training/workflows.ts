export { trainingCountyWorkflow } from './county-workflow';
export { trainingReportWorkflow } from './report-workflow';
export { trainingYearWorkflow } from './year-workflow';
