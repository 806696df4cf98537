import type { ScheduleOptionsAction } from '@temporalio/client';
import type { PrismaClient } from '../platform/db/database';
import type { FeishuClient } from '../platform/feishu/client';
import type { ColourThresholds } from './desk/rules';
import type { QuietHours } from '../core/escalation';
import type { ProcessChat } from './chat-kit';

// What one process registers: its chat part, its activities, its recurring work. src/processes/index.ts lists the
// processes once; the chat, the worker and the Schedules merge what they export, so nothing else keeps a list.

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

/** What a Schedule's arguments may depend on: the county's settings. */
export interface ScheduleSettings {
  timeZone: string;
  digestAt: { hour: number; minute: number };
}

/** Recurring work as a Temporal Schedule, started by function reference (its name is the workflow's own). */
export interface ProcessSchedule {
  scheduleId: string;
  workflow: Extract<ScheduleOptionsAction, { type: 'startWorkflow' }>['workflowType'];
  description: string;
  calendar: (settings: ScheduleSettings) => { month?: 'JANUARY'; dayOfMonth?: number; hour: number; minute: number };
  args: (settings: ScheduleSettings) => unknown[];
}

export interface Process<I extends string = string, A extends string = string, Acts extends object = object> {
  name: string;
  chat?: ProcessChat<I, A>;
  activities?: (deps: ActivityDeps) => Acts;
  schedules?: ProcessSchedule[];
}

export function defineProcess<const I extends string, const A extends string, Acts extends object>(
  process: Process<I, A, Acts>,
) {
  return process;
}
