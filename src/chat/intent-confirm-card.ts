import type { ChatAction } from './chat-actions';
import type { Card } from '../platform/feishu/client';
import { card, fields, markdown, note, type Element } from '../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../core/cards/escape';

// What a state-changing request will do, shown before anything happens; the buttons carry the resolved request
// and the asker's open_id (only the asker's click counts, checked again on click).

export interface CaseProposal {
  asker: string;
  officer: { name: string; certNo: string; unitName: string };
  action: string;
  actionLabel: string;
  reason: string;
  reasonLabel: string;
  details: string;
  approvers: { unitHead: string; bureauReviewer: string };
}

const button = (content: string, type: 'primary' | 'default' | 'danger', value: Record<string, unknown>): Element => ({
  tag: 'button',
  text: { tag: 'plain_text', content },
  type,
  behaviors: [{ type: 'callback', value }],
});

export function caseConfirmCard(p: CaseProposal): Card {
  const request = {
    asker: p.asker,
    certNo: p.officer.certNo,
    certAction: p.action,
    reason: p.reason,
    details: p.details,
  };
  return card('请确认 · 证件办理', 'orange', [
    markdown(`将为 **${esc(p.officer.name)}** 发起证件**${esc(p.actionLabel)}**,确认后才会提交审批。`),
    fields([
      ['执法人员', `${p.officer.name}(${p.officer.certNo})`],
      ['单位', p.officer.unitName],
      ['办理事项', p.actionLabel],
      ['原因', p.reasonLabel],
      ['审批', `${p.approvers.unitHead}(单位负责人)→ ${p.approvers.bureauReviewer}(司法局审核)`],
      ['情况说明', p.details || '—'],
    ]),
    button('确认', 'primary', { action: 'intent_confirm' satisfies ChatAction, ...request }),
    button('修改', 'default', { action: 'intent_edit' satisfies ChatAction, ...request }),
    button('取消', 'default', { action: 'intent_cancel' satisfies ChatAction, asker: p.asker }),
    note('「修改」打开填好这些内容的证件办理表单;「取消」不发起任何办理。'),
  ]);
}

export function pickOfficerCard(
  written: string,
  asker: string,
  request: Record<string, string>,
  officers: Array<{ name: string; certNo: string; unit: { name: string } }>,
): Card {
  return card('请选择执法人员', 'blue', [
    markdown(`名册中有 ${officers.length} 位与「${esc(written)}」相符,请选择:`),
    ...officers.map((o) =>
      button(`${o.name}(${o.certNo},${o.unit.name})`, 'default', {
        action: 'intent_pick' satisfies ChatAction,
        asker,
        ...request,
        certNo: o.certNo,
      }),
    ),
    button('取消', 'default', { action: 'intent_cancel' satisfies ChatAction, asker }),
  ]);
}

export function closedCard(title: string, text: string): Card {
  return card(title, 'grey', [markdown(text)]);
}
