import type { CaseworkAction } from './case-card';
import { defineChat, type CardHandler } from '../chat-kit';
import { defineProcess } from '../process';
import { caseStepActivities } from './activities';
import { calendarWatchActivities } from './calendar-watch';
import { decideCase, withdrawCase } from './chat';

// The step engine every case shares (CaseDesk): the buttons on any case card, the steps' activities, the calendar's watch.
export const casework = defineProcess({
  name: 'casework',
  chat: defineChat({
    intents: {},
    cardActions: { case_decide: decideCase, case_withdraw: withdrawCase } satisfies Record<CaseworkAction, CardHandler>,
  }),
  activities: (deps) => ({
    ...caseStepActivities({ ...deps, quietHours: deps.desk?.quietHours }),
    ...calendarWatchActivities(deps),
  }),
});
