import type { CertificateCardAction } from './cards';
import { ACTION_LABEL, REASONS } from './rules';
import { card, markdown, note } from '../../core/cards/card-kit';
import { escapeMarkdown, escapeMarkdownLine as esc } from '../../core/cards/escape';

const options = (entries: Array<[value: string, label: string]>) =>
  entries.map(([value, label]) => ({ text: { tag: 'plain_text', content: label }, value }));

/** The admin's form to open a certificate case (证件办理). */
/** `prefill`: the values a confirmation card proposed, when the asker chose 修改 there. */
export function certificateCaseFormCard(
  unitName: string,
  error?: string,
  prefill: { officer?: string; reason?: string; action?: string; details?: string } = {},
) {
  const initial = (name: 'officer' | 'details') => (prefill[name] ? { default_value: prefill[name] } : {});
  const chosen = (name: 'reason' | 'action') => (prefill[name] ? { initial_option: prefill[name] } : {});
  return card('证件办理 · 暂扣/收回/注销/恢复', 'blue', [
    markdown(
      `为**${esc(unitName)}**的执法人员申请证件变更。提交后依次由单位负责人审批、司法局审核,通过后登记变更并通知本人。`,
    ),
    ...(error ? [markdown(`⚠️ ${escapeMarkdown(error)}`)] : []),
    {
      tag: 'form',
      name: 'certificate_case',
      elements: [
        {
          tag: 'input',
          name: 'officer',
          required: true,
          ...initial('officer'),
          label: { tag: 'plain_text', content: '执法人员' },
          placeholder: { tag: 'plain_text', content: '姓名或执法证号' },
        },
        {
          tag: 'select_static',
          name: 'reason',
          required: true,
          ...chosen('reason'),
          placeholder: { tag: 'plain_text', content: '原因' },
          options: options(Object.entries(REASONS).map(([k, r]) => [k, r.label])),
        },
        {
          tag: 'select_static',
          name: 'action',
          ...chosen('action'),
          placeholder: { tag: 'plain_text', content: '办理事项(不选则按原因默认)' },
          options: options(Object.entries(ACTION_LABEL)),
        },
        {
          tag: 'input',
          name: 'details',
          ...initial('details'),
          input_type: 'multiline_text',
          label: { tag: 'plain_text', content: '情况说明' },
          placeholder: { tag: 'plain_text', content: '事实、依据、材料(选填)' },
        },
        {
          tag: 'button',
          name: 'submit',
          text: { tag: 'plain_text', content: '提交审批' },
          type: 'primary',
          form_action_type: 'submit',
          behaviors: [
            { type: 'callback', value: { action: 'certificate_case_submit' satisfies CertificateCardAction } },
          ],
        },
      ],
    },
    note(
      '原因对应的默认办理事项:调离执法岗位→收回;退休、辞职/辞退/开除、刑事处罚、到期未换证→注销;调查、考核不合格、学时不足→暂扣;原因消除→恢复。',
    ),
  ]);
}
