import type { PrismaClient } from '../platform/db/database';
import { bureauUnitIds } from './desk/store';

// Who sees what, as one table: for each chat word (and its export), how far each kind of person reaches.
// Handlers ask this table and nothing else, and test/security/role-scope.test.ts asks every word for every kind.
//
// Kinds: a unit's officer, its admin (法制员), its head (负责人, role supervisor), a leader of a unit (分管领导,
// role leader) and a leader of the justice bureau (role leader in the unit whose people review as role bureau),
// and the bureau's reviewers (role bureau). A unit's leader sees their unit, as its admin and head do; only the
// bureau and its leaders see every unit.

export type ViewerKind = 'officer' | 'admin' | 'supervisor' | 'leader' | 'bureauLeader' | 'bureau';
/** none: refused; self: one's own records; unit: one's own unit; county: every unit. */
export type Reach = 'none' | 'self' | 'unit' | 'county';

export const SCOPE = {
  /** 证件案件: open certificate cases. */
  certificateCases: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  /** 导出证件记录 (from the 证件 card): certificates' audit trails. */
  certificateAudit: {
    officer: 'self',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  /** 本单位学时 and its 导出Excel. */
  unitHours: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'unit',
    bureau: 'unit',
  },
  /** 学时统计: each unit's completion rate (counts, no names). */
  countyHours: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'county',
    bureauLeader: 'county',
    bureau: 'county',
  },
  /** 学时统计's 导出Excel: every unit, with the name of everyone not yet meeting the requirement. */
  countyHoursExport: {
    officer: 'none',
    admin: 'none',
    supervisor: 'none',
    leader: 'none',
    bureauLeader: 'county',
    bureau: 'county',
  },
  /** 学时不足名单's 导出Excel: the year-end list filed for a unit. */
  yearEndList: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  /** 移送: open referrals and leads. */
  openReferrals: {
    officer: 'none',
    admin: 'unit',
    supervisor: 'unit',
    leader: 'unit',
    bureauLeader: 'county',
    bureau: 'county',
  },
  /** 移送台账 and its 导出Excel: every unit's referrals. */
  referralLedger: {
    officer: 'none',
    admin: 'none',
    supervisor: 'none',
    leader: 'none',
    bureauLeader: 'county',
    bureau: 'county',
  },
} as const satisfies Record<string, Record<ViewerKind, Reach>>;

export type ScopedWord = keyof typeof SCOPE;

export function reachOf(word: ScopedWord, kind: ViewerKind): Reach {
  return SCOPE[word][kind];
}

/** The kind of a roster entry: a leader is a bureau leader when their unit is the bureau's. */
export async function viewerKind(
  prisma: PrismaClient,
  person: { role: string; unit: { id: number } },
): Promise<ViewerKind> {
  if (person.role === 'leader')
    return (await bureauUnitIds(prisma)).includes(person.unit.id) ? 'bureauLeader' : 'leader';
  if (person.role === 'admin' || person.role === 'supervisor' || person.role === 'bureau') return person.role;
  return 'officer';
}

/** How far `person` reaches with `word`. */
export async function reach(
  prisma: PrismaClient,
  word: ScopedWord,
  person: { role: string; unit: { id: number } },
): Promise<Reach> {
  return reachOf(word, await viewerKind(prisma, person));
}
