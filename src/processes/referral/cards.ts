import { describeDue, type Clock } from '../../core/deadlines';
import { KIND_LABEL, MATTER_KIND_LABEL, POLICE_DECISION_CLOCKS, type ReferralKind } from './rules';
import { percent, type LedgerRow } from './ledger';
import { leadTypeOptions, type LeadRules } from './leads';
import type { OpenReferral } from './store';
import { card, markdown, note } from '../../core/cards/card-kit';
import { escapeMarkdown, escapeMarkdownLine as esc } from '../../core/cards/escape';

/** The buttons this process's cards carry (`value.action`); process.ts maps each to its handler, so a misspelt one is a type error. */
export type ReferralAction =
  | 'criminal_referral_submit'
  | 'inter_agency_referral_submit'
  | 'lead_dispatch_submit'
  | 'reverse_referral_submit'
  | 'export_referral_ledger'
  | 'case_amount_submit'
  | 'referral_prompt_answer';

// The referral cards of chat: the three forms that start a referral (行刑衔接 by the case team, 部门移送 by a unit,
// 派发线索 by the bureau), a unit's open referrals (移送) and the bureau's ledger (移送台账). Steps themselves are
// ordinary case cards (src/processes/casework/case-card.ts).

const options = (entries: Array<[value: string, label: string]>) =>
  entries.map(([value, label]) => ({ text: { tag: 'plain_text', content: label }, value }));
const input = (name: string, label: string, placeholder: string, extra: Record<string, unknown> = {}) => ({
  tag: 'input',
  name,
  label: { tag: 'plain_text', content: label },
  placeholder: { tag: 'plain_text', content: placeholder },
  ...extra,
});
const select = (name: string, placeholder: string, entries: Array<[string, string]>, required = true) => ({
  tag: 'select_static',
  name,
  required,
  placeholder: { tag: 'plain_text', content: placeholder },
  options: options(entries),
});
const submit = (label: string, action: ReferralAction) => ({
  tag: 'button',
  name: 'submit',
  text: { tag: 'plain_text', content: label },
  type: 'primary',
  form_action_type: 'submit',
  behaviors: [{ type: 'callback', value: { action } }],
});
const warning = (error?: string) => (error ? [markdown(`⚠️ ${escapeMarkdown(error)}`)] : []);

/** 行刑衔接: the case team's report (310 第5条); the one who sends it is on the team. */
export function criminalReferralFormCard(unitName: string, error?: string) {
  return card('移送涉嫌犯罪案件 · 行刑衔接', 'red', [
    markdown(
      `**${esc(unitName)}**专案组报告。提交后由单位负责人在 **3日** 内决定是否移送;批准后 **24小时** 内移送同级公安机关并抄送检察院(国务院令第310号第5、6条)。`,
    ),
    ...warning(error),
    {
      tag: 'form',
      name: 'criminal_referral',
      elements: [
        input('title', '案件名称', '如:某商行销售伪劣产品案', { required: true }),
        input('summary', '涉嫌犯罪的事实和理由', '事实、金额、依据', { required: true, input_type: 'multiline_text' }),
        input('team', '专案组其他成员', '执法证号,多人用逗号分隔(专案组至少 2 人,含您本人)', { required: true }),
        select(
          'crimeType',
          '案件类型(决定公安机关审查期限)',
          Object.entries(POLICE_DECISION_CLOCKS).map(([k, v]) => [k, v.label]),
        ),
        input('police', '接收的公安机关', '如:县公安局', { required: true }),
        input('procuratorate', '抄送的检察院', '如:县人民检察院', { required: true }),
        submit('提交移送报告', 'criminal_referral_submit'),
      ],
    },
    note(
      '公安机关、检察院不在飞书上:其签收、立案、复议等由本单位法制员在卡片上登记(日期、文书编号)。以罚代刑是违规行为(第11条)。',
    ),
  ]);
}

/** 部门移送: to the administrative body with jurisdiction, which signs for it in chat. */
export function interAgencyFormCard(unitName: string, units: string[], error?: string) {
  return card('案件移送 · 移送有管辖权的行政机关', 'orange', [
    markdown(
      `由**${esc(unitName)}**移送。一般事项 **3个工作日** 内移送,安全生产、食品药品、生态环境等紧急事项 **24小时** 内;接收单位在飞书上签收(送达回证),拒收的报司法局指定管辖。`,
    ),
    ...warning(error),
    {
      tag: 'form',
      name: 'inter_agency_referral',
      elements: [
        select(
          'receivingUnit',
          '接收单位',
          units.filter((u) => u !== unitName).map((u) => [u, u]),
        ),
        select('matterKind', '事项类别', [...Object.entries(MATTER_KIND_LABEL), ['other', '其他(一般)']]),
        input('title', '案件名称', '如:某厂违法排污线索', { required: true }),
        input('summary', '案情和移送理由', '事实、证据、管辖依据', { required: true, input_type: 'multiline_text' }),
        submit('发起移送', 'inter_agency_referral_submit'),
      ],
    },
  ]);
}

/** 派发线索: the bureau dispatches a 12345 or 督察 lead; its clocks run from now, on the county's rules in force. */
export function leadFormCard(units: string[], rules: LeadRules, error?: string) {
  const types = leadTypeOptions(rules);
  const clock = (c: Clock) => (c.unit === 'hours' ? `${c.amount}小时` : `${c.amount}个工作日`);
  const sendBack = rules.maxSendBacks
    ? `,**${clock(rules.sendBackClock)}** 内可说明理由退单${rules.maxSendBacks === 1 ? '一' : ` ${rules.maxSendBacks} `}次`
    : ',不得退单';
  return card('派发问题线索 · 12345 / 督察', 'blue', [
    markdown(
      `计时从派单开始:承办单位 **${clock(rules.signClock)}** 内签收${sendBack};超期次日催办,超期 ${rules.noticeAfterWorkingDays} 个工作日通报单位负责人和司法局。`,
    ),
    ...warning(error),
    {
      tag: 'form',
      name: 'lead_dispatch',
      elements: [
        select(
          'unit',
          '承办单位',
          units.map((u) => [u, u]),
        ),
        select('source', '来源', [
          ['12345', '12345热线'],
          ['督察', '督察督办'],
          ['其他', '其他'],
        ]),
        select('leadType', '类型(决定答复期限)', types),
        input('title', '线索标题', '一句话概括诉求', { required: true }),
        input('summary', '诉求内容', '来电人诉求、地址、联系方式', { required: true, input_type: 'multiline_text' }),
        submit('派单', 'lead_dispatch_submit'),
      ],
    },
  ]);
}

/** 反向移送: the police send back a case that needs only an administrative penalty; the liaison receives it. */
export function reverseReferralFormCard(unitName: string, error?: string) {
  return card('接收公安机关移送 · 反向移送', 'turquoise', [
    markdown(
      `公安机关认为不构成犯罪、需要给予行政处罚而移送**${esc(unitName)}**的案件(国务院令第310号第13条;行政处罚法第27条)。登记后由您在卡片上登记文书,负责人决定受理,专案组反馈处理结果。`,
    ),
    ...warning(error),
    {
      tag: 'form',
      name: 'reverse_referral',
      elements: [
        input('police', '移送的公安机关', '如:县公安局', { required: true }),
        input('title', '案件名称', '如:某商行销售伪劣产品案', { required: true }),
        input('summary', '移送理由', '公安机关移送函所述', { required: true, input_type: 'multiline_text' }),
        submit('登记接收', 'reverse_referral_submit'),
      ],
    },
  ]);
}

/** 移送: open referrals and leads with the step each waits on and the time left, most urgent first. */
export function openReferralsCard(scope: string, rows: OpenReferral[], now: Date, timeZone: string) {
  const lines = rows.map((r) => {
    const due = r.dueAt ? ` · ${describeDue(r.dueAt.toISOString(), now, timeZone)}` : '';
    return `- **${KIND_LABEL[r.kind as ReferralKind] ?? esc(r.kind)}** ${esc(r.title)}(${esc(r.counterpart)}) · ${r.stepTitle ? esc(r.stepTitle) : '处理中'}${r.ownerName ? `(${esc(r.ownerName)})` : ''}${due}`;
  });
  return card(`进行中的移送和线索 · ${scope}`, rows.length ? 'blue' : 'green', [
    markdown(lines.length ? lines.join('\n') : '目前没有进行中的移送或线索。'),
    note('发送「移送案件」移送涉嫌犯罪案件,「部门移送」移送其他行政机关。期限按工作日历和小时计算,不能手工修改。'),
  ]);
}

/** 移送台账: per unit, for the bureau; the export button sends the same as xlsx with every referral. */
export function ledgerCard(rows: LedgerRow[], asOf: string) {
  const header = '| 单位 | 总数 | 在办 | 超期 | 按时率 | 拒收/不立案 | 退单线索 |\n|---|---|---|---|---|---|---|';
  const body = rows.map(
    (r) =>
      `| ${esc(r.unitName)} | ${r.total} | ${r.open} | ${r.overdue ? `🔴 ${r.overdue}` : 0} | ${percent(r.onTimeRate)} | ${r.refusals} | ${r.bouncedLeads} |`,
  );
  return card(`移送台账(截至 ${asOf})`, rows.some((r) => r.overdue) ? 'red' : 'blue', [
    markdown(rows.length ? [header, ...body].join('\n') : '还没有移送或线索。'),
    {
      tag: 'button',
      text: { tag: 'plain_text', content: '导出Excel' },
      type: 'default',
      behaviors: [{ type: 'callback', value: { action: 'export_referral_ledger' satisfies ReferralAction } }],
    },
    note('按时率:已办步骤中在期限内办理的比例。超期:当前步骤已过期限。'),
  ]);
}

export interface BulletinLine {
  kind: string;
  unitName: string;
  title: string;
  counterpart: string;
  status: string;
  stage: string;
  outcome: string | null;
  late: number;
}

const BULLETIN_STATUS: Record<string, string> = {
  open: '在办',
  closed: '办结',
  rejected: '不予移送',
  refused: '未立案/被拒收',
  withdrawn: '撤回',
};

/** The monthly bulletin (what procuratorates publish monthly today): each referral's stage and outcome. */
export function referralBulletinCard(month: string, scope: string, lines: BulletinLine[]) {
  const byKind = Object.entries(KIND_LABEL)
    .map(([kind, label]) => [label, lines.filter((l) => l.kind === kind)] as const)
    .filter(([, rows]) => rows.length);
  const body = byKind.map(([label, rows]) =>
    [
      `**${label}**(${rows.length} 件)`,
      ...rows.map(
        (l) =>
          `- ${esc(l.unitName)} · ${esc(l.title)}(${esc(l.counterpart)}) · ${BULLETIN_STATUS[l.status] ?? esc(l.status)} · ${l.status === 'open' ? `当前:${esc(l.stage)}` : esc(l.outcome)}${l.late ? ` · 超期 ${l.late} 步` : ''}`,
      ),
    ].join('\n'),
  );
  return card(`${month} 移送和线索月报 · ${scope}`, lines.some((l) => l.late) ? 'orange' : 'blue', [
    markdown(body.length ? body.join('\n\n') : '本月没有移送或线索。'),
    note('发送「移送台账」查看各单位按时率,可导出Excel。'),
  ]);
}
