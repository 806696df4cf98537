// Every workflow the worker runs. One file per process.
export { certificateCaseWorkflow } from './certificate-case';
export { certificateExpiryWatchWorkflow } from './certificate-expiry-watch';
export { fileImportWorkflow } from './file-import';
export { rosterSyncWorkflow } from './roster-sync';
export { trainingCountyWorkflow } from './training-county';
export { trainingReportWorkflow } from './training-report';
export { trainingYearWorkflow } from './training-year';
export { dailyDigestWorkflow } from './daily-digest';
export { criminalReferralWorkflow, interAgencyReferralWorkflow, reverseReferralWorkflow } from './referral';
export { leadWorkflow } from './lead';
export { referralBulletinWorkflow } from './referral-bulletin';
export { empowermentRoundWorkflow } from './empowerment-round';
export { empowermentTermWatchWorkflow } from './empowerment-term-watch';
export { empowermentRoundsWorkflow } from './empowerment-rounds';
