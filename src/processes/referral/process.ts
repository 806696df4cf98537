import { defineChat } from '../chat-kit';
import { defineProcess } from '../process';
import { referralActivities } from './activities';
import { referralBulletinWorkflow } from './bulletin-workflow';
import {
  exportReferralLedger,
  showCriminalReferralForm,
  showInterAgencyForm,
  showLeadForm,
  showOpenReferrals,
  showReferralLedger,
  showReverseReferralForm,
} from './chat';
import { submitCriminalReferral, submitInterAgencyReferral, submitLead, submitReverseReferral } from './submit';
import { answerReferralPrompt, showCaseAmountForm, submitCaseAmount } from './threshold-chat';

// Referral hand-offs with statutory deadlines: 行刑衔接 to the police, between agencies, hotline leads, the reverse
// hand-off from the police, the 以罚代刑 guard, and the monthly bulletin.
export const referral = defineProcess({
  name: 'referral',
  chat: defineChat({
    intents: {
      startCriminalReferral: {
        words: ['移送案件', '行刑衔接', '移送公安'],
        description: '(专案组)报告涉嫌犯罪案件,经负责人批准后移送公安机关并抄送检察院',
        forModel: '(打开报告表)',
        handler: showCriminalReferralForm,
      },
      startInterAgencyReferral: {
        words: ['部门移送', '移送其他部门'],
        description: '(法制员、负责人)把案件移送有管辖权的行政机关,对方在飞书签收',
        forModel: '(打开移送表)',
        handler: showInterAgencyForm,
      },
      dispatchLead: {
        words: ['派发线索', '派单'],
        description: '(司法局)把12345或督察线索派给承办单位,计时从派单开始',
        forModel: '(打开派单表)',
        handler: showLeadForm,
      },
      openReferrals: {
        words: ['移送', '本单位移送', '线索'],
        description: '(法制员、负责人)进行中的移送和线索:当前步骤和剩余时间',
        handler: showOpenReferrals,
      },
      referralLedger: {
        words: ['移送台账'],
        description: '(司法局、领导)各单位移送和线索的按时率、在办、超期、拒收、退单',
        handler: showReferralLedger,
      },
      recordCaseAmount: {
        words: ['登记案值', '案件金额', '追诉标准'],
        description: '(执法人员)登记案件金额,达到刑事追诉标准时提示是否移送',
        forModel: '(打开登记表)',
        handler: showCaseAmountForm,
      },
      receiveReverseReferral: {
        words: ['公安移送', '接收移送', '反向移送'],
        description: '(法制员)登记公安机关移送需行政处罚的案件',
        forModel: '(打开登记表)',
        handler: showReverseReferralForm,
      },
    },
    cardActions: {
      criminal_referral_submit: submitCriminalReferral,
      inter_agency_referral_submit: submitInterAgencyReferral,
      lead_dispatch_submit: submitLead,
      export_referral_ledger: exportReferralLedger,
      case_amount_submit: submitCaseAmount,
      referral_prompt_answer: answerReferralPrompt,
      reverse_referral_submit: submitReverseReferral,
    },
  }),
  activities: (deps) => referralActivities(deps),
  schedules: [
    {
      scheduleId: 'referral-bulletin',
      workflow: referralBulletinWorkflow,
      description: '每月1日向领导发送上月移送和线索月报(每件的阶段和结果)',
      calendar: () => ({ dayOfMonth: 1, hour: 9, minute: 0 }),
      args: () => [{}],
    },
  ],
});
