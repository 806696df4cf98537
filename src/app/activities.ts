import type { FeishuClient } from '../platform/feishu/client';
import type { PrismaClient } from '../platform/db/database';
import type { ColourThresholds } from '../processes/desk/rules';
import type { QuietHours } from '../core/escalation';
import { calendarWatchActivities } from '../processes/casework/calendar-watch';
import { caseStepActivities } from '../processes/casework/activities';
import { certificateActivities } from '../processes/certificate/activities';
import { certificateExpiryActivities } from '../processes/certificate/expiry-activities';
import { deskActivities } from '../processes/desk/activities';
import { empowermentActivities } from '../processes/empowerment/activities';
import { fileImportActivities } from '../processes/files/activities';
import { referralActivities } from '../processes/referral/activities';
import { rosterActivities } from '../processes/roster/activities';
import { trainingActivities } from '../processes/training/activities';

export interface ActivityDeps {
  prisma: PrismaClient;
  feishu: FeishuClient;
  /** The county's time zone (TZ_CALENDAR): dates and deadlines are local. */
  timeZone: string;
  /** The leaders' desk settings (colours, quiet hours, digest time); the shipped defaults when absent. */
  desk?: { thresholds: ColourThresholds; quietHours: QuietHours; digestAt: { hour: number; minute: number } };
  /** The wall clock, injected so tests pin it; the real one when absent. */
  now?: () => Date;
}

/** All activities, built from their dependencies so tests pass real ones pointed at fakes, not module mocks. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...rosterActivities(deps),
    ...caseStepActivities({ ...deps, quietHours: deps.desk?.quietHours }),
    ...deskActivities({ ...deps, ...deps.desk }),
    ...calendarWatchActivities(deps),
    ...certificateActivities(deps),
    ...certificateExpiryActivities(deps),
    ...trainingActivities(deps),
    ...fileImportActivities(deps),
    ...empowermentActivities(deps),
    ...referralActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
