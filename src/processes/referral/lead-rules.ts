import type { PrismaClient } from '../../platform/db/database';
import { latestSetting, storeSetting, type LoadResult } from '../../platform/db/bureau-settings';
import { readSheet, type Sheet } from '../../platform/sheets/spreadsheet';
import { validateLeadRuleRows } from './lead-rule-rows';
import { DEFAULT_LEAD_RULES, type LeadRules } from './leads';

// The county's hotline lead rules, loaded by the bureau (CLI `referral lead-rules FILE` or the file in chat);
// the shipped DEFAULT_LEAD_RULES until then. A lead reads them when it is dispatched and keeps them to its end.

export async function loadLeadRuleSheet(
  prisma: PrismaClient,
  sheet: Sheet,
  fileName: string,
  actor: string,
): Promise<LoadResult<LeadRules>> {
  const validated = validateLeadRuleRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  await storeSetting(prisma, 'lead_rules', validated.rules, fileName, actor, 'referral');
  return { ok: true, value: validated.rules };
}

export async function loadLeadRuleFile(
  prisma: PrismaClient,
  file: string,
  actor: string,
): Promise<LoadResult<LeadRules>> {
  return loadLeadRuleSheet(prisma, await readSheet(file), file, actor);
}

export async function readLeadRules(prisma: PrismaClient): Promise<LeadRules> {
  return (await latestSetting<LeadRules>(prisma, 'lead_rules')) ?? DEFAULT_LEAD_RULES;
}
