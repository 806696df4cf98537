import { describeDue } from '../../core/deadlines';
import { FORM_LABEL } from './rules';
import type { Ledger, RoundInProgress, TownshipView } from './ledger';
import { card, divider, fields, markdown, note, type Element } from '../../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../../core/cards/escape';

/** The buttons this process's cards carry (`value.action`); process.ts maps each to its handler, so a misspelt one is a type error. */
export type EmpowermentAction = 'export_empowerment_township' | 'export_empowerment_ledger';

// 赋权 (a township's own matters) and 赋权台账 (the county), each with an 导出Excel button; the full lists are in
// the workbook, the card shows what a person scans: counts, terms, the round in progress and its next step.

const STAGE_LABEL: Record<string, string> = {
  self_assessment: '乡镇自评',
  department: '部门意见',
  bureau: '司法局合法性审查',
  decision: '领导决定',
};

const exportButton = (action: EmpowermentAction) => ({
  tag: 'button',
  text: { tag: 'plain_text', content: '导出Excel' },
  type: 'default',
  behaviors: [{ type: 'callback', value: { action } }],
});

function roundLines(rounds: RoundInProgress[], now: Date, timeZone: string): string[] {
  return rounds.map((r) => {
    const next = r.steps[0];
    const due = next ? ` · 截止 ${describeDue(next.dueAt.toISOString(), now, timeZone)}` : '';
    const pending = r.steps.length > 1 ? `(待办 ${r.steps.length} 张)` : '';
    return `- ${esc(r.township)} ${esc(r.period)} · ${STAGE_LABEL[r.stage] ?? esc(r.stage)}${next ? ` · 下一步:${esc(next.title)}(${esc(next.owner)})${pending}${due}` : ''}`;
  });
}

const LETTERS_SHOWN = 20;

export function townshipEmpowermentCard(v: TownshipView, asOf: string, now: Date, timeZone: string) {
  if (!v.grants.length)
    return card(`赋权事项 · ${v.township}`, 'grey', [
      markdown('赋权登记簿中没有本乡镇/街道的事项。如有遗漏,请联系司法局导入。'),
    ]);
  const matters = v.grants.reduce((n, g) => n + g.matters.length, 0);
  const entrustedFirstEnding = v.grants
    .flatMap((g) => (g.form === 'entrusted' ? [g] : []))
    .sort((a, b) => a.termEnd.localeCompare(b.termEnd));
  const terms = entrustedFirstEnding.map(
    (g) =>
      `- 委托 ${esc(g.documentNo)}(${esc(g.department)},${g.matters.length} 项):${g.termStart} 至 ${g.termEnd}${g.termEnd < asOf ? ' **已届满,不得再行使**' : ''}${g.filed ? '' : ' · 未备案'}`,
  );
  const delegated = v.grants
    .filter((g) => g.form === 'delegated')
    .map((g) => `- 交由行使 ${esc(g.documentNo)}(${g.matters.length} 项),公布 ${esc(g.published)}`);
  const elements: Element[] = [
    fields([
      ['事项总数', `${matters} 项`],
      ['登记簿版本', `第 ${v.version} 版(${v.validFrom} 起)`],
      ['最近一次评估', v.lastEvaluated ?? '尚未评估'],
      ['进行中的评估', v.rounds.length ? `${v.rounds.length} 轮` : '无'],
    ]),
    markdown(
      `**按领域**\n${v.byField
        .slice(0, 15)
        .map(
          (f) =>
            `- ${esc(f.field)}:${f.delegated + f.entrusted} 项(${FORM_LABEL.delegated} ${f.delegated},${FORM_LABEL.entrusted} ${f.entrusted})`,
        )
        .join('\n')}${v.byField.length > 15 ? `\n……另有 ${v.byField.length - 15} 个领域` : ''}`,
    ),
    // Letters ending first lead; a township with dozens of 委托 letters sees the rest in the export.
    markdown(
      `**赋权文件与期限**\n${[...terms, ...delegated].slice(0, LETTERS_SHOWN).join('\n')}${terms.length + delegated.length > LETTERS_SHOWN ? `\n……共 ${terms.length + delegated.length} 份,全部见导出` : ''}`,
    ),
  ];
  if (v.rounds.length)
    elements.push(divider(), markdown(`**评估进度**\n${roundLines(v.rounds, now, timeZone).join('\n')}`));
  elements.push(
    exportButton('export_empowerment_township'),
    note(`截至 ${asOf}。办件数来自乡镇自评填报(执法通不保存案件数据)。`),
  );
  return card(`赋权事项 · ${v.township}`, 'blue', elements);
}

/** What the next round will use: the scoring template in force and how many 领域 have an original department. */
export interface RoundSettingsInUse {
  template: string;
  mappedFields: number;
}

export function ledgerCard(ledger: Ledger, now: Date, timeZone: string, settings?: RoundSettingsInUse) {
  const townships = [...new Set(ledger.rows.map((r) => r.township))];
  const sum = (pick: (r: Ledger['rows'][number]) => number) => ledger.rows.reduce((n, r) => n + pick(r), 0);
  const lines = townships.map((t) => {
    const of = (form: 'delegated' | 'entrusted') => ledger.rows.find((r) => r.township === t && r.form === form);
    const zero = (of('delegated')?.zeroCases ?? 0) + (of('entrusted')?.zeroCases ?? 0);
    return `- ${esc(t)}:交由行使 ${of('delegated')?.matters ?? 0} · 委托 ${of('entrusted')?.matters ?? 0}${zero ? ` · 零办件 ${zero}` : ''}`;
  });
  const terms = ledger.termsEnding
    .slice(0, 15)
    .map(
      (t) =>
        `- ${esc(t.township)} ${esc(t.documentNo)}(${esc(t.department)},${t.matters} 项):${t.termEnd}${t.daysLeft < 0 ? ' **已届满**' : `,还有 ${t.daysLeft} 天`}`,
    );
  return card('赋权台账 · 全县', 'blue', [
    fields([
      ['乡镇/街道', `${townships.length} 个`],
      [
        '事项总数',
        `${sum((r) => r.matters)} 项(交由行使 ${sum((r) => (r.form === 'delegated' ? r.matters : 0))},委托 ${sum((r) => (r.form === 'entrusted' ? r.matters : 0))})`,
      ],
      ['零办件(最近一次评估)', `${sum((r) => r.zeroCases)} 项`],
      ['尚未评估', `${sum((r) => r.unevaluated)} 项`],
    ]),
    markdown(
      `**各乡镇/街道**\n${lines.slice(0, 30).join('\n') || '登记簿为空'}${lines.length > 30 ? `\n……共 ${lines.length} 个` : ''}`,
    ),
    markdown(
      `**委托期限 90 天内届满**\n${terms.join('\n') || '无'}${ledger.termsEnding.length > 15 ? `\n……共 ${ledger.termsEnding.length} 份` : ''}`,
    ),
    markdown(
      `**进行中的评估(${ledger.rounds.length} 轮)**\n${roundLines(ledger.rounds.slice(0, 20), now, timeZone).join('\n') || '无'}`,
    ),
    exportButton('export_empowerment_ledger'),
    note(
      `截至 ${ledger.asOf}。发送「发起赋权评估」为尚无进行中评估的乡镇/街道各发起一轮。${settings ? `评估按「${esc(settings.template)}」给出建议;领域与原主管部门对照 ${settings.mappedFields ? `${settings.mappedFields} 个领域` : '尚未载入(交由行使事项的意见由司法局代填)'}。` : ''}`,
    ),
  ]);
}
