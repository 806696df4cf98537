import type { CampaignStanding } from './campaign-store';
import type { OfficerHours, UnitCompletion } from './store';
import { CATEGORIES, CATEGORY_LABEL, STATUS_WORDS, type TrainingRule, type TrainingStatus } from './rules';
import { card, divider, fields, markdown, note, type Template } from '../../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../../core/cards/escape';

/** The buttons this process's cards carry (`value.action`); process.ts maps each to its handler, so a misspelt one is a type error. */
export type TrainingAction = 'training_report_submit' | 'export_unit_hours' | 'export_county_hours' | 'export_year_end';

// Training-hours cards: the officer's own year, the unit's list, the county's ranking, and the reminders.

const STATUS_TEMPLATE: Record<TrainingStatus, Template> = {
  met: 'green',
  on_track: 'blue',
  behind: 'orange',
  at_risk: 'red',
};
const STATUS_ICON: Record<TrainingStatus, string> = { met: '✅', on_track: '🟦', behind: '🟧', at_risk: '🟥' };

export const bar = (value: number, max: number, width = 12) => {
  const filled = max > 0 ? Math.min(width, Math.round((value / max) * width)) : 0;
  return '▇'.repeat(filled) + '▁'.repeat(width - filled);
};
const h = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const pct = (r: number) => `${Math.round(r * 100)}%`;

export interface RecentRecord {
  course: string;
  category: keyof typeof CATEGORY_LABEL;
  hours: number;
  date: string;
  status: 'pending' | 'confirmed' | 'rejected';
}

const RECORD_STATUS = { pending: '待确认', confirmed: '', rejected: '已驳回' };

export function myHoursCard(
  o: OfficerHours,
  rule: TrainingRule,
  daysLeft: number,
  recent: RecentRecord[],
  campaigns: CampaignStanding[] = [],
) {
  const categoryLines = CATEGORIES.map((c) => {
    const min = rule.perCategory[c];
    return `${CATEGORY_LABEL[c]}  ${bar(o.totals.byCategory[c], min ?? rule.requiredHours)}  ${h(o.totals.byCategory[c])}${min ? `/${min}` : ''} 学时`;
  });
  const recentLines = recent.length
    ? recent.map(
        (r) =>
          `- ${r.date} ${esc(r.course)}(${CATEGORY_LABEL[r.category]})${h(r.hours)} 学时${RECORD_STATUS[r.status] ? ` · ${RECORD_STATUS[r.status]}` : ''}`,
      )
    : ['- 暂无记录'];
  return card(`${rule.year} 年度培训学时 · ${o.name}`, STATUS_TEMPLATE[o.status], [
    fields([
      ['已完成', `${h(o.totals.total)} / ${rule.requiredHours} 学时`],
      ['还差', `${h(o.left)} 学时`],
      ['状态', `${STATUS_ICON[o.status]} ${STATUS_WORDS[o.status]}`],
      ['年度剩余', `${daysLeft} 天`],
    ]),
    markdown(
      `**总进度** ${bar(o.totals.total, rule.requiredHours)} ${pct(Math.min(o.totals.total / rule.requiredHours, 1))}\n${categoryLines.join('\n')}`,
    ),
    ...(campaigns.length
      ? [
          markdown(
            `**全员轮训**\n${campaigns.map((c) => `- ${c.attended ? '✅ 已参加' : '⬜ 未参加'} ${esc(c.name)}(课程「${esc(c.course)}」,${c.deadline} 前)`).join('\n')}`,
          ),
        ]
      : []),
    divider(),
    markdown(`**最近记录**\n${recentLines.join('\n')}`),
    note(advice(o.status, o.left, daysLeft)),
  ]);
}

function advice(status: TrainingStatus, left: number, daysLeft: number): string {
  if (status === 'met') return '已达到年度学时要求。继续参加培训的学时同样会记录。';
  if (status === 'at_risk')
    return `按现在的进度难以完成:剩余 ${daysLeft} 天需完成 ${h(left)} 学时,请尽快与本单位法制员商量补学安排。学时不足可能影响年度注册,并可能暂扣执法证件。`;
  if (status === 'behind') return `进度落后于全年平均。参加培训后可发送「报学时」登记,由本单位法制员确认。`;
  return '进度正常。参加培训后可发送「报学时」登记,由本单位法制员确认。';
}

/** `exportButton` (default on) offers the whole list as xlsx; the export is always as of the click. */
export function unitHoursCard(
  unitName: string,
  rule: TrainingRule,
  rows: OfficerHours[],
  asOf: string,
  opts: { exportButton?: boolean } = {},
) {
  const counts = (s: TrainingStatus) => rows.filter((r) => r.status === s).length;
  const behind = rows
    .filter((r) => r.status === 'behind' || r.status === 'at_risk')
    .sort((a, b) => a.totals.total - b.totals.total);
  const lines = behind
    .slice(0, 30)
    .map(
      (r) =>
        `- ${STATUS_ICON[r.status]} **${esc(r.name)}**(${esc(r.certNo)})${h(r.totals.total)} 学时,还差 ${h(r.left)}`,
    );
  return card(`${rule.year} 年度学时 · ${unitName}`, behind.some((r) => r.status === 'at_risk') ? 'orange' : 'blue', [
    fields([
      ['执法人员', `${rows.length} 人`],
      ['达标', `${counts('met')} 人`],
      ['正常', `${counts('on_track')} 人`],
      ['落后 / 高风险', `${counts('behind')} / ${counts('at_risk')} 人`],
    ]),
    markdown(
      behind.length
        ? `**需关注(${behind.length} 人)**\n${lines.join('\n')}${behind.length > 30 ? `\n……另有 ${behind.length - 30} 人` : ''}`
        : '全部达标或进度正常。',
    ),
    ...(opts.exportButton === false ? [] : [exportButton('导出Excel', { action: 'export_unit_hours' })]),
    note(`统计截至 ${asOf},只计已确认的记录。`),
  ]);
}

const exportButton = (label: string, value: { action: TrainingAction } & Record<string, unknown>) => ({
  tag: 'button',
  text: { tag: 'plain_text', content: label },
  type: 'default',
  behaviors: [{ type: 'callback', value }],
});

/** The quarter digest uses the same card; its export, like every export, is as of the click. */
export function countyHoursCard(
  rule: TrainingRule,
  units: UnitCompletion[],
  asOf: string,
  title = '学时统计',
  opts: { exportButton?: boolean } = {},
) {
  const officers = units.reduce((s, u) => s + u.officers, 0);
  const met = units.reduce((s, u) => s + u.met, 0);
  const lines = units.map(
    (u, i) =>
      `${i + 1}. ${esc(u.unitName)}  ${bar(u.rate, 1, 10)} ${pct(u.rate)}(${u.met}/${u.officers})${u.byStatus.at_risk ? ` · 高风险 ${u.byStatus.at_risk}` : ''}`,
  );
  return card(`${rule.year} 年度${title} · 全县`, 'blue', [
    fields([
      ['执法人员', `${officers} 人`],
      ['已达标', `${met} 人(${pct(officers ? met / officers : 0)})`],
      ['单位', `${units.length} 个`],
      ['要求', `每人 ${rule.requiredHours} 学时`],
    ]),
    markdown(`**各单位完成率**\n${lines.join('\n') || '暂无数据'}`),
    ...(opts.exportButton === false ? [] : [exportButton('导出Excel', { action: 'export_county_hours' })]),
    note(`统计截至 ${asOf}。Excel 含各单位完成情况和全部未达标人员。`),
  ]);
}

export function checkpointReminderCard(o: OfficerHours, rule: TrainingRule, checkpoint: string, daysLeft: number) {
  return card(`学时提醒 · ${o.name}`, STATUS_TEMPLATE[o.status], [
    markdown(
      `截至 **${checkpoint}**,您 ${rule.year} 年已完成 **${h(o.totals.total)}** 学时,还差 **${h(o.left)}** 学时,状态「${STATUS_WORDS[o.status]}」。年度还剩 ${daysLeft} 天。`,
    ),
    note('发送「学时」查看明细;参加培训后发送「报学时」登记。'),
  ]);
}

export function yearEndListCard(year: number, unitName: string, short: OfficerHours[], required: number) {
  const lines = short.map((o) => `- **${esc(o.name)}**(${esc(o.certNo)})${h(o.totals.total)} / ${required} 学时`);
  return card(`${year} 年度学时不足名单 · ${unitName}`, short.length ? 'red' : 'green', [
    markdown(
      short.length
        ? `以下 ${short.length} 人未达到年度培训学时要求:\n${lines.join('\n')}`
        : '本单位全部执法人员达到年度学时要求。',
    ),
    // The unit name (not an id) is what the filed list is kept under; the export reads the filed list.
    ...(short.length ? [exportButton('导出Excel', { action: 'export_year_end', year, unit: unitName })] : []),
    note('名单已存档。按规定,学时不足的可不予年度注册,并可暂扣执法证件至补足学时。'),
  ]);
}
