import type { RowError } from '../../core/table-rows';

// The kinds of file a person may send in chat, who is sending one, and what importing it would change.

export const FILE_KINDS = [
  'roster',
  'training',
  'calendar',
  'empowerment',
  'escalation',
  'campaign',
  'department_map',
  'lead_rules',
  'referral_threshold',
] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const KIND_NAMES: Record<FileKind, string> = {
  roster: '人员名册',
  training: '培训记录',
  calendar: '工作日历',
  empowerment: '赋权事项登记表',
  escalation: '催办升级规则',
  campaign: '全员轮训',
  department_map: '领域与原主管部门对照表',
  lead_rules: '线索办理规则',
  referral_threshold: '追诉标准',
};

/** Who is importing: the bureau any unit; a unit admin only their own unit's rows. */
export interface Importer {
  openId: string;
  role: string;
  unitId: number;
  unitName: string;
}

export interface Preview {
  kind: FileKind;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** What is in force and absent from the file, for a kind whose import replaces the whole table (the ladder, the map, the thresholds). */
  removed?: number;
  /** What added / updated / unchanged count when it is not rows (the register counts grants: 份赋权文件). */
  counted?: string;
  errors: RowError[];
}
