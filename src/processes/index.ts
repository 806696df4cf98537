import { casework } from './casework/process';
import { certificate } from './certificate/process';
import { desk } from './desk/process';
import { empowerment } from './empowerment/process';
import { files } from './files/process';
import { referral } from './referral/process';
import { roster } from './roster/process';
import { training } from './training/process';
import type { ActivityDeps, ProcessSchedule } from './process';
import type { ProcessChat } from './chat-kit';

// The processes, listed once. Adding one: its folder with a process.ts (and a workflows.ts, listed in workflows.ts).
// The order is the help card's order.
export const PROCESSES = [training, certificate, files, desk, referral, empowerment, casework, roster] as const;

type Registered = (typeof PROCESSES)[number];
// A process without chat infers plain `string`: it adds no names.
type Named<N> = string extends N ? never : N;
type IntentsOf<P> = P extends { chat?: ProcessChat<infer I, string> } ? Named<I> : never;
type ActionsOf<P> = P extends { chat?: ProcessChat<string, infer A> } ? Named<A> : never;
type ActivitiesOf<P> = P extends { activities?: (deps: ActivityDeps) => infer Acts } ? Acts : never;
type Intersect<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every intent a process registers (the chat adds `help`). */
export type ProcessIntent = IntentsOf<Registered>;
/** Every card button name a process registers. */
export type ProcessCardAction = ActionsOf<Registered>;
export type Activities = Intersect<ActivitiesOf<Registered>>;

/** All activities, built from their dependencies so tests pass real ones pointed at fakes, not module mocks. */
export function createActivities(deps: ActivityDeps): Activities {
  return Object.assign({}, ...PROCESSES.map((p) => p.activities?.(deps) ?? {})) as Activities;
}

export const SCHEDULES: ProcessSchedule[] = PROCESSES.flatMap((p) => p.schedules ?? []);
