// 移送台账 (issue #8 §5): per unit, how its referrals and leads stand. Pure: the register rows and the open steps'
// deadlines are passed in with `now`. On-time rate is over steps decided (a referral has many clocks; a unit
// late on one step of ten is 90% on time), and is absent when nothing has been decided yet.

export interface LedgerReferral {
  workflowId: string;
  kind: string;
  unitName: string;
  status: string;
  stepsDone: number;
  stepsLate: number;
  refusals: number;
  sendBacks: number;
}

export interface LedgerRow {
  unitName: string;
  total: number;
  open: number;
  /** Open referrals whose current step is past its deadline. */
  overdue: number;
  onTimeRate: number | undefined;
  refusals: number;
  /** Leads sent back (退单) at least once. */
  bouncedLeads: number;
}

export function ledgerRows(
  referrals: readonly LedgerReferral[],
  openDue: ReadonlyMap<string, Date>,
  now: Date,
): LedgerRow[] {
  const byUnit = new Map<string, LedgerReferral[]>();
  for (const r of referrals) byUnit.set(r.unitName, [...(byUnit.get(r.unitName) ?? []), r]);
  return [...byUnit.entries()]
    .map(([unitName, rows]) => {
      const done = rows.reduce((n, r) => n + r.stepsDone, 0);
      const late = rows.reduce((n, r) => n + r.stepsLate, 0);
      const open = rows.filter((r) => r.status === 'open');
      return {
        unitName,
        total: rows.length,
        open: open.length,
        overdue: open.filter((r) => (openDue.get(r.workflowId)?.getTime() ?? Infinity) < now.getTime()).length,
        onTimeRate: done ? (done - late) / done : undefined,
        refusals: rows.reduce((n, r) => n + r.refusals, 0),
        bouncedLeads: rows.filter((r) => r.kind === 'lead' && r.sendBacks > 0).length,
      };
    })
    .sort(
      (a, b) =>
        b.overdue - a.overdue ||
        (a.onTimeRate ?? 1) - (b.onTimeRate ?? 1) ||
        a.unitName.localeCompare(b.unitName, 'zh'),
    );
}

export function percent(rate: number | undefined): string {
  return rate === undefined ? '—' : `${Math.round(rate * 100)}%`;
}
