import type { Person } from '../casework/contract';

// The training workflows' inputs and ids: definitions only, for the workflow bundle and the app.

export interface TrainingYearInput {
  unitId: number;
  unitName: string;
  year: number;
  timeZone: string;
  /** 'MM-DD' dates; default: quarter ends, 1 Nov, 1 Dec, 20 Dec. */
  checkpoints?: string[];
}

export function trainingYearWorkflowId(year: number, unitId: number): string {
  return `training-year-${year}-unit-${unitId}`;
}

export function trainingCountyWorkflowId(year: number): string {
  return `training-year-${year}-county`;
}

export interface TrainingReportInput {
  officerId: number;
  officer: Person;
  certNo: string;
  unitName: string;
  course: string;
  category: 'public_law' | 'business' | 'skills';
  hours: number;
  date: string;
  admin: Person;
  unitHead: Person;
  /** When the officer reported it, if before the workflow started (a paper report entered later): the admin's clock runs from then. */
  reportedAt?: string;
}
