import type { FeishuClient } from '../../bot/feishu-client';
import type { PrismaClient } from '../../lib/database';
import type { ColourThresholds } from '../domain/desk';
import type { QuietHours } from '../domain/escalation';
import { calendarWatchActivities } from './calendar-watch';
import { caseStepActivities } from './case-steps';
import { certificateActivities } from './certificate';
import { certificateExpiryActivities } from './certificate-expiry';
import { deskActivities } from './desk';
import { empowermentActivities } from './empowerment';
import { fileImportActivities } from './file-import';
import { referralActivities } from './referral';
import { rosterActivities } from './roster';
import { trainingActivities } from './training';

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
