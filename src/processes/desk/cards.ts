import type { CaseworkAction } from '../casework/case-card';
import { describeDue } from '../../core/deadlines';
import { COLOUR_DOT, COLOURS, type Colour, type DeskItem, type LeaderDigest, type UnitRanking } from './rules';
import { card, markdown, note, type Element } from '../../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../../core/cards/escape';

/** The buttons this process's cards carry (`value.action`); process.ts maps each to its handler, so a misspelt one is a type error. */
export type DeskAction = 'deadline_nudge' | 'desk_open';

// The leaders' desk in cards: the daily digest (counts by colour and process, the overdue items by name
// with a 催办 button each), the weekly unit ranking as a Feishu chart (a VChart spec, card JSON 2.0 `chart`),
// and anyone's 待办 list with the button that acts on each item.

const SHORT: Record<Colour, string> = { red: '超期', orange: '1日内到期', yellow: '3日内到期', green: '正常' };
/** A card carries at most this many listed items; the rest are counted ("另有 N 项"), never silently dropped. */
export const LISTED_ITEMS = 15;

export function digestCard(
  leaderName: string,
  scope: string,
  day: string,
  digest: LeaderDigest,
  timeZone: string,
  now: Date,
) {
  const counts = COLOURS.map((c) => `${COLOUR_DOT[c]} ${SHORT[c]} **${digest.counts[c]}**`).join('  ');
  const elements: Element[] = [markdown(`${esc(leaderName)},您好。${esc(scope)}今日在办事项:\n${counts}`)];
  if (digest.byProcess.length) {
    const rows = digest.byProcess.map(
      (p) => `| ${esc(p.caseLabel)} | ${p.counts.red} | ${p.counts.orange} | ${p.counts.yellow} | ${p.counts.green} |`,
    );
    elements.push(markdown(['| 事项 | 🔴 | 🟠 | 🟡 | 🟢 |', '|:--|--:|--:|--:|--:|', ...rows].join('\n')));
  }
  if (digest.overdue.length) {
    elements.push(markdown(`**已超期事项**(${digest.overdue.length} 项)`));
    for (const item of digest.overdue.slice(0, LISTED_ITEMS)) {
      elements.push(
        itemRow(
          `🔴 ${esc(item.caseLabel)} · ${esc(item.subject)}\n${esc(item.unitName)} · ${esc(item.stepTitle)} · 办理人 **${esc(item.ownerName)}** · 超期 ${item.daysOverdue} 个工作日`,
          button('催办', 'default', { action: 'deadline_nudge' satisfies DeskAction, itemId: item.id }),
        ),
      );
    }
    if (digest.overdue.length > LISTED_ITEMS)
      elements.push(note(`另有 ${digest.overdue.length - LISTED_ITEMS} 项超期,发送「待办」或登录台账查看。`));
  }
  elements.push(note(`截至 ${formatTime(now, timeZone)} · 催办每项每天一次 · 工作日 ${day} 推送`));
  return card(
    `今日待办提醒 · ${day}`,
    digest.counts.red ? 'red' : digest.counts.orange ? 'orange' : 'yellow',
    elements,
    scope,
  );
}

export function rankingCard(day: string, ranking: UnitRanking[]) {
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  const values = ranking.flatMap((u) => [
    { unit: u.unitName, metric: '学时达标率', value: pct(u.trainingRate) },
    ...(u.onTimeRate === null ? [] : [{ unit: u.unitName, metric: '按时办理率', value: pct(u.onTimeRate) }]),
  ]);
  const spec = {
    type: 'bar',
    direction: 'horizontal',
    data: [{ id: 'ranking', values }],
    xField: 'value',
    yField: ['unit', 'metric'],
    seriesField: 'metric',
    axes: [
      { orient: 'bottom', type: 'linear', min: 0, max: 100 },
      { orient: 'left', type: 'band' },
    ],
    legends: { visible: true, orient: 'top' },
    label: { visible: true },
    title: { visible: true, text: '各单位学时达标率与按时办理率(%)' },
  };
  const best = ranking[0];
  const lines = ranking.map(
    (u, i) =>
      `${i + 1}. ${esc(u.unitName)} · 学时达标 ${pct(u.trainingRate)}% · 按时办理 ${u.onTimeRate === null ? '—' : `${pct(u.onTimeRate)}%`}`,
  );
  const elements: Element[] = [
    markdown(best ? `本周排名第一:**${esc(best.unitName)}**。` : '暂无单位数据。'),
    { tag: 'chart', element_id: 'unit_ranking', aspect_ratio: '4:3', chart_spec: spec },
    {
      tag: 'collapsible_panel',
      expanded: false,
      header: { title: { tag: 'plain_text', content: '查看明细' } },
      elements: [markdown(lines.join('\n') || '—')],
    },
  ];
  return card(`各单位周排名 · ${day}`, 'indigo', elements, '学时达标率、审批按时办理率');
}

const QUICK_ACTION: Record<string, { label: string; outcome: string } | undefined> = {
  approve: { label: '同意', outcome: 'approved' },
  confirm: { label: '确认已办', outcome: 'confirmed' },
};

export interface TodoItem extends DeskItem {
  workflowId: string;
  /** The run the step belongs to: the buttons act on that run only. */
  runId: string;
  stepKey: string;
  stepKind: string;
  colour: Colour;
}

export function todoCard(name: string, items: TodoItem[], timeZone: string, now: Date) {
  if (!items.length) return card('我的待办', 'green', [markdown(`${esc(name)},您目前没有待办事项。🎉`)]);
  const elements: Element[] = [markdown(`${esc(name)},您有 **${items.length}** 项待办,最急的在前:`)];
  for (const item of items.slice(0, LISTED_ITEMS)) {
    const text = `${COLOUR_DOT[item.colour]} **${esc(item.caseLabel)} · ${esc(item.subject)}**\n${esc(item.stepTitle)} · 截止 ${describeDue(item.dueAt, now, timeZone, item.provisional)}`;
    // One-click where a click is the whole answer; a step with a form to fill opens its card.
    const quick = QUICK_ACTION[item.stepKind];
    const act = quick
      ? [
          button(quick.label, 'primary', {
            action: 'case_decide' satisfies CaseworkAction,
            workflowId: item.workflowId,
            runId: item.runId,
            stepKey: item.stepKey,
            outcome: quick.outcome,
          }),
        ]
      : [];
    elements.push(
      itemRow(
        text,
        ...act,
        button(quick ? '打开' : '打开办理', 'default', {
          action: 'desk_open' satisfies DeskAction,
          workflowId: item.workflowId,
          runId: item.runId,
        }),
      ),
    );
  }
  if (items.length > LISTED_ITEMS)
    elements.push(note(`另有 ${items.length - LISTED_ITEMS} 项,办完上面的再发「待办」查看。`));
  elements.push(note('驳回需要写理由:请点「打开」在案件卡片中填写。'));
  return card(
    '我的待办',
    items[0]!.colour === 'red' ? 'red' : items[0]!.colour === 'orange' ? 'orange' : 'blue',
    elements,
  );
}

function itemRow(text: string, ...buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'none',
    columns: [
      { tag: 'column', width: 'weighted', weight: 1, elements: [markdown(text)] },
      ...buttons.map((b) => ({ tag: 'column', width: 'auto', vertical_align: 'center', elements: [b] })),
    ],
  };
}

function button(text: string, type: 'primary' | 'default', value: Record<string, unknown>): Element {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: text },
    type,
    size: 'small',
    behaviors: [{ type: 'callback', value }],
  };
}

function formatTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
