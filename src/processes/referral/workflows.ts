export { criminalReferralWorkflow, interAgencyReferralWorkflow, reverseReferralWorkflow } from './workflow';
export { leadWorkflow } from './lead-workflow';
export { referralBulletinWorkflow } from './bulletin-workflow';
