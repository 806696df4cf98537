import { defineChat } from '../chat-kit';
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
        handler: showMyCertificate,
      },
      startCertificateCase: {
        words: ['证件办理', '办理证件', '证件变更'],
        description: '(法制员)申请暂扣、收回、注销或恢复执法证件',
        args: StartCertificateCaseArgs,
        sentences: parseCertificateSentence,
        changesState: true,
        menuKeys: ['certificate_case'],
        handler: showCertificateCaseForm,
      },
      unitCertificateCases: {
        words: ['证件案件', '证件审批', '本单位证件案件'],
        description: '(法制员、负责人)进行中的证件办理和期限',
        menuKeys: ['certificate_cases'],
        handler: showUnitCertificateCases,
      },
    },
    cardActions: {
      certificate_case_submit: submitCertificateCase,
      start_training_suspension: startTrainingSuspension,
      export_certificate_audit: exportCertificateAudit,
    },
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
