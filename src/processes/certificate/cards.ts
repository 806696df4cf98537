import type { CertificateView } from './rules';
import { card, fields, markdown, note, type Template } from '../../core/cards/card-kit';
import { escapeMarkdown } from '../../core/cards/escape';

/** The buttons this process's cards carry (`value.action`); process.ts maps each to its handler, so a misspelt one is a type error. */
export type CertificateCardAction =
  'certificate_case_submit' | 'start_training_suspension' | 'export_certificate_audit';

export interface CertificateCardData {
  name: string;
  unit: string;
  certNo: string;
  expires?: string;
  view: CertificateView;
  /** A case in progress on this certificate, in words. */
  openCase?: string;
  /** The viewer may export other people's records (an admin or head: their unit; a leader or the bureau: all). */
  mayExportOthers?: boolean;
}

const TEMPLATE: Record<CertificateView['status'], Template> = {
  active: 'green',
  suspended: 'orange',
  withdrawn: 'grey',
  cancelled: 'grey',
  expired: 'red',
};

export function certificateCard(d: CertificateCardData) {
  return card(`执法证件 · ${d.name}`, TEMPLATE[d.view.status], [
    fields([
      ['姓名', d.name],
      ['单位', d.unit],
      ['执法证号', d.certNo],
      ['状态', d.view.label],
      ['有效期至', d.expires ?? '未登记'],
      ['剩余天数', daysLeftText(d.view.daysLeft)],
    ]),
    ...(d.openCase ? [markdown(`📋 ${escapeMarkdown(d.openCase)}`)] : []),
    note(advice(d.view)),
    auditExportPanel(d.mayExportOthers ?? false),
  ]);
}

/**
 * 导出证件记录 (the audit trail as xlsx), folded away because most people rarely need it: one's own certificate
 * for everyone; the 执法证号 box only for those who may export others' (the click checks again). A form may not
 * sit in a folding panel (Feishu's rule), so the box calls back on its own when Enter is pressed.
 */
function auditExportPanel(mayExportOthers: boolean) {
  const value = { action: 'export_certificate_audit' satisfies CertificateCardAction };
  return {
    tag: 'collapsible_panel',
    expanded: false,
    header: { title: { tag: 'plain_text', content: '📁 导出证件记录(Excel)' } },
    elements: [
      note(
        mayExportOthers
          ? '证件的录入、变更、审批、提醒等全部记录,每个证件一页。法制员和单位负责人可导出本单位人员的记录,司法局可导出全县。'
          : '本人证件的录入、变更、审批、提醒等全部记录。',
      ),
      ...(mayExportOthers
        ? [
            {
              tag: 'input',
              name: 'certNos',
              placeholder: { tag: 'plain_text', content: '输入执法证号后回车,多个用逗号分隔' },
              behaviors: [{ type: 'callback', value }],
            },
          ]
        : []),
      {
        tag: 'button',
        text: { tag: 'plain_text', content: '导出本人证件记录' },
        type: 'default',
        behaviors: [{ type: 'callback', value }],
      },
    ],
  };
}

function daysLeftText(daysLeft: number | undefined): string {
  if (daysLeft === undefined) return '—';
  if (daysLeft < 0) return `已过期 ${-daysLeft} 天`;
  if (daysLeft === 0) return '今天到期';
  return `${daysLeft} 天`;
}

function advice(view: CertificateView): string {
  if (view.status === 'expired') return '证件已过期,不得从事执法活动。请尽快联系本单位法制员办理换证。';
  if (view.status === 'suspended') return '证件暂扣期间不得从事执法活动;原因消除后由单位申请恢复。';
  if (view.status === 'withdrawn' || view.status === 'cancelled') return '证件已不可用于执法活动。';
  if (view.daysLeft !== undefined && view.daysLeft <= 183) return '证件将在半年内到期,请提前参加考试并办理换证。';
  return '证件有效,可依法从事执法活动(执法时须两名以上持证人员)。';
}
