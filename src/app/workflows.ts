// Every workflow the worker runs. One file per process.
export { certificateCaseWorkflow } from '../processes/certificate/workflow';
export { certificateExpiryWatchWorkflow } from '../processes/certificate/expiry-watch';
export { fileImportWorkflow } from '../processes/files/workflow';
export { rosterSyncWorkflow } from '../processes/roster/sync-workflow';
export { trainingCountyWorkflow } from '../processes/training/county-workflow';
export { trainingReportWorkflow } from '../processes/training/report-workflow';
export { trainingYearWorkflow } from '../processes/training/year-workflow';
export { dailyDigestWorkflow } from '../processes/desk/digest-workflow';
export { criminalReferralWorkflow, interAgencyReferralWorkflow, reverseReferralWorkflow } from '../processes/referral/workflow';
export { leadWorkflow } from '../processes/referral/lead-workflow';
export { referralBulletinWorkflow } from '../processes/referral/bulletin-workflow';
export { empowermentRoundWorkflow } from '../processes/empowerment/round-workflow';
export { empowermentTermWatchWorkflow } from '../processes/empowerment/term-watch';
export { empowermentRoundsWorkflow } from '../processes/empowerment/rounds-workflow';
