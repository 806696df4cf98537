import type { PrismaClient } from '../../platform/db/database';
import { loadCalendarSheet } from '../casework/calendar-store';
import { loadCampaignSheet } from '../training/campaign-store';
import { loadDepartmentMapSheet } from '../empowerment/settings';
import { loadEscalationSheet } from '../casework/escalation-store';
import { loadLeadRuleSheet } from '../referral/lead-rules';
import { loadThresholdSheet } from '../referral/thresholds';
import type { Sheet } from '../../platform/sheets/spreadsheet';
import type { RowError } from '../../core/table-rows';

// The bureau's setting files — the calendar, the escalation ladder, rotation campaigns, the field → original
// department map, the hotline lead rules, the prosecution thresholds — each one loader and one sentence for its
// result, shared by the CLI and a file sent in chat, so both load the same way and say the same thing.

export type ImportResult = { ok: true; summary: string } | { ok: false; errors: RowError[] };

type Loaded<T> = Promise<({ ok: true } & T) | { ok: false; errors: RowError[] }>;
type SettingLoad = (prisma: PrismaClient, sheet: Sheet, fileName: string, actor: string) => Promise<ImportResult>;

function saying<T>(
  load: (prisma: PrismaClient, sheet: Sheet, fileName: string, actor: string) => Loaded<T>,
  describe: (result: T) => string,
): SettingLoad {
  return async (...args) => {
    const result = await load(...args);
    return result.ok ? { ok: true, summary: describe(result) } : result;
  };
}

export const SETTING_LOADS = {
  calendar: saying(loadCalendarSheet, (r) => `已导入 ${r.years.join('、')} 年的节假日安排`),
  escalation: saying(loadEscalationSheet, (r) => `催办升级规则已替换: ${r.rules} 条(新开始的办理步骤按新规则提醒)`),
  campaign: saying(loadCampaignSheet, (r) => `已导入全员轮训: ${r.names.join('、')}`),
  lead_rules: saying(
    loadLeadRuleSheet,
    (r) => `线索办理规则已载入: ${Object.keys(r.value.replyClocks).length} 种线索类型(之后派发的线索按此计时)`,
  ),
  department_map: saying(
    loadDepartmentMapSheet,
    (r) => `领域与原主管部门对照表已载入: ${Object.keys(r.value).length} 个领域(之后开始的评估按此征求部门意见)`,
  ),
  referral_threshold: saying(loadThresholdSheet, (r) => `追诉标准已载入: ${r.thresholds} 项(登记案值时按此提示)`),
} satisfies Record<string, SettingLoad>;

export type SettingKind = keyof typeof SETTING_LOADS;

export const isSettingKind = (kind: string): kind is SettingKind => kind in SETTING_LOADS;
