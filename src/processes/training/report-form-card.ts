import type { TrainingAction } from './cards';
import { CATEGORY_LABEL } from './rules';
import { card, markdown, note } from '../../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../../core/cards/escape';

/** The officer's form to report a finished training (报学时); the unit admin confirms it. */
export function trainingReportFormCard(adminName: string) {
  return card('登记培训学时', 'blue', [
    markdown(`填写已参加的培训,提交后由本单位法制员 **${esc(adminName)}** 确认,确认后计入年度学时。`),
    {
      tag: 'form',
      name: 'training_report',
      elements: [
        {
          tag: 'input',
          name: 'course',
          required: true,
          label: { tag: 'plain_text', content: '课程' },
          placeholder: { tag: 'plain_text', content: '如:行政处罚法专题讲座' },
        },
        {
          tag: 'select_static',
          name: 'category',
          required: true,
          placeholder: { tag: 'plain_text', content: '类别' },
          options: Object.entries(CATEGORY_LABEL).map(([value, label]) => ({
            text: { tag: 'plain_text', content: label },
            value,
          })),
        },
        {
          tag: 'input',
          name: 'hours',
          required: true,
          label: { tag: 'plain_text', content: '学时' },
          placeholder: { tag: 'plain_text', content: '如:3 或 1.5' },
        },
        { tag: 'date_picker', name: 'date', required: true, placeholder: { tag: 'plain_text', content: '培训日期' } },
        {
          tag: 'button',
          name: 'submit',
          text: { tag: 'plain_text', content: '提交确认' },
          type: 'primary',
          form_action_type: 'submit',
          behaviors: [{ type: 'callback', value: { action: 'training_report_submit' satisfies TrainingAction } }],
        },
      ],
    },
    note('学时以 0.5 为单位,单条不超过 24 学时。集中培训、网络学法等由单位统一导入的,无需自己登记。'),
  ]);
}
