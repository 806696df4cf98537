import type { CertificateCardAction } from './cards';
import { defineChat, type CardHandler } from '../chat-kit';
import { defineProcess } from '../process';
import { certificateActivities } from './activities';
import { exportCertificateAudit } from './audit-export';
import { showCertificateCaseForm, startTrainingSuspension, submitCertificateCase } from './chat';
import { parseCertificateSentence, StartCertificateCaseArgs } from './chat-args';
import { certificateExpiryActivities } from './expiry-activities';
import { certificateExpiryWatchWorkflow } from './expiry-watch';
import { showMyCertificate } from './my-certificate';
import { showUnitCertificateCases } from './open-cases';

// Enforcement certificates: the officer's own (证件), cases that suspend, withdraw, cancel or restore one, and the
// daily expiry watch.
export const certificate = defineProcess({
  name: 'certificate',
  chat: defineChat({
    intents: {
      myCertificate: {
        words: ['证件', '我的证件', '执法证', '证'],
        description: '我的执法证件:状态、有效期、剩余天数',
        menuKeys: ['my_certificate'],
        phrases: `
          我的证 我…证件 我…执法证 证…到期 证…过期 证…有效 有效期 执法证号 证…状态 证…还能用 被暂扣 我…证 !单位 !审批
          !案件 !案子 !办理 !申请 !批 !把 !给 !收回 !注销 !恢复 !扣了 certificate mycert license
        `,
        handler: showMyCertificate,
      },
      startCertificateCase: {
        words: ['证件办理', '办理证件', '证件变更'],
        description: '(法制员)申请暂扣、收回、注销或恢复执法证件',
        args: StartCertificateCaseArgs,
        sentences: parseCertificateSentence,
        changesState: true,
        menuKeys: ['certificate_case'],
        phrases: `
          暂扣…证 收回…证 注销…证 恢复…证 证…暂扣 证…收回 证…注销 证…恢复 证…扣了 证…扣 申请注销 申请暂扣 申请收回
          申请恢复 把…证…扣 学时不够 考核不合格 退休 调走 辞职 判刑 调离 !批下来 !进度 !到哪 !审批 !在办 !有几个 !没批
          !我的证 !我执法证
        `,
        roles: ['admin'],
        takes: ['officer', 'action', 'reason', 'dates'],
        handler: showCertificateCaseForm,
      },
      unitCertificateCases: {
        words: ['证件案件', '证件审批', '本单位证件案件'],
        description: '(法制员、负责人)进行中的证件办理和期限',
        menuKeys: ['certificate_cases'],
        phrases: `
          证件…审批 审批…证件 证件…办理到 证件…进度 证件案 证件…超期 在办…证件 证件…案子 证件…流程 批下来 到哪一步 走到哪
          待我审批 哪些证件 暂扣…案子 证件…有几个 证件办理进度 certificatecases
        `,
        roles: ['admin', 'supervisor'],
        handler: showUnitCertificateCases,
      },
    },
    cardActions: {
      certificate_case_submit: submitCertificateCase,
      start_training_suspension: startTrainingSuspension,
      export_certificate_audit: exportCertificateAudit,
    } satisfies Record<CertificateCardAction, CardHandler>,
  }),
  activities: (deps) => ({ ...certificateActivities(deps), ...certificateExpiryActivities(deps) }),
  schedules: [
    {
      scheduleId: 'certificate-expiry-watch',
      workflow: certificateExpiryWatchWorkflow,
      description: '每日检查即将到期的执法证件(6个月、3个月、1个月、已过期各提醒一次)',
      calendar: () => ({ hour: 9, minute: 0 }), // every day, county time
      args: () => [],
    },
  ],
});
