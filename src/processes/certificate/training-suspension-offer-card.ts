import type { CertificateCardAction } from './cards';
import { card, markdown, note, type Element } from '../../core/cards/card-kit';
import { escapeMarkdownLine as esc } from '../../core/cards/escape';

export interface ShortfallOfficer {
  name: string;
  certNo: string;
  hours: number;
  required: number;
}

/**
 * Sent to a unit admin with the training year's final list of officers short of hours (学时不足): one button
 * per officer opens a 暂扣 case for them — only on that click, never by itself.
 */
export function trainingSuspensionOfferCard(data: { year: number; unitName: string; officers: ShortfallOfficer[] }) {
  const rows: Element[] = data.officers.map((o) => ({
    tag: 'column_set',
    flex_mode: 'none',
    columns: [
      {
        tag: 'column',
        width: 'weighted',
        weight: 3,
        vertical_align: 'center',
        elements: [markdown(`**${esc(o.name)}**(${esc(o.certNo)})· ${o.hours}/${o.required} 学时`)],
      },
      {
        tag: 'column',
        width: 'auto',
        elements: [
          {
            tag: 'button',
            text: { tag: 'plain_text', content: '申请暂扣' },
            type: 'default',
            behaviors: [
              {
                type: 'callback',
                value: {
                  action: 'start_training_suspension' satisfies CertificateCardAction,
                  certNo: o.certNo,
                  year: data.year,
                },
              },
            ],
          },
        ],
      },
    ],
  }));
  return card(`${data.year} 年度学时不足名单 · ${data.unitName}`, 'orange', [
    markdown(`以下 ${data.officers.length} 人未达到年度培训学时要求。按规定可暂扣其执法证件,待补足学时后恢复。`),
    ...rows,
    note('点击「申请暂扣」才会发起办理,并照常经单位负责人和司法局审批;不点击则不会发起。'),
  ]);
}
