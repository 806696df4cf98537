import type { ReferralAction } from './cards';
import { defineChat, type CardHandler } from '../chat-kit';
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
        phrases: `
          涉嫌犯罪 犯罪 涉刑 刑事移送 移交公安 移送…公安 公安机关 交给派出所 追诉标准…移送 移送司法 涉刑…移送 犯罪…移送
          !台账 !金额多少 !汇总 !统计 !县里 !全县 !各单位
        `,
        roles: ['officer', 'admin'],
        handler: showCriminalReferralForm,
      },
      startInterAgencyReferral: {
        words: ['部门移送', '移送其他部门'],
        description: '(法制员、负责人)把案件移送有管辖权的行政机关,对方在飞书签收',
        forModel: '(打开移送表)',
        phrases: `
          不归我们管 管辖 有管辖权 移给 移交给…局 转给…局 移交…行政机关 移送给…局 移送给…委 交给…局 转过去 其他部门
          执法部门 移交别的 转给 移送给 !公安 !派出所 !12345 !线索 !签收
        `,
        roles: ['admin', 'supervisor'],
        handler: showInterAgencyForm,
      },
      dispatchLead: {
        words: ['派发线索', '派单'],
        description: '(司法局)把12345或督察线索派给承办单位,计时从派单开始',
        forModel: '(打开派单表)',
        phrases: `
          派给 派发 分派 派下去 派一条 派个单 工单 12345 热线 督察线索 举报线索 线索…派 派…线索 dispatch
        `,
        roles: ['bureau'],
        takes: ['dates'],
        handler: showLeadForm,
      },
      openReferrals: {
        words: ['移送', '本单位移送', '线索'],
        description: '(法制员、负责人)进行中的移送和线索:当前步骤和剩余时间',
        phrases: `
          移送…到哪一步 移送…进度 线索…进度 线索…剩 线索…超时 线索…到期 签收了没 签收了吗 移送…状态 移送…没办完 在办…移送
          在办的线索 移送列表 我们单位移送 移送的案 !台账 !全县 !各单位 !县里
        `,
        roles: ['admin', 'supervisor'],
        handler: showOpenReferrals,
      },
      referralLedger: {
        words: ['移送台账'],
        description: '(司法局、领导)各单位移送和线索的按时率、在办、超期、拒收、退单',
        phrases: `
          台账 各单位…移送 全县…移送 全县…线索 单位…移送…超期 移送…按时率 线索…按时率 拒收 退单 移送…统计 移送…汇总
          移送…报表 县里…移送 移送…台账 线索…台账 行刑衔接…台账 ledger !赋权
        `,
        roles: ['bureau', 'leader'],
        handler: showReferralLedger,
      },
      recordCaseAmount: {
        words: ['登记案值', '案件金额', '追诉标准'],
        description: '(执法人员)登记案件金额,达到刑事追诉标准时提示是否移送',
        forModel: '(打开登记表)',
        phrases: `
          案值 涉案金额 金额 货值 罚没金额 够不够追诉 追诉 够刑事 !移送
        `,
        roles: ['officer'],
        takes: ['amountYuan', 'dates'],
        handler: showCaseAmountForm,
      },
      receiveReverseReferral: {
        words: ['公安移送', '接收移送', '反向移送'],
        description: '(法制员)登记公安机关移送需行政处罚的案件',
        forModel: '(打开登记表)',
        phrases: `
          移过来 转来 转过来 移交过来 公安…退回 退回来 移送函 公安机关移送 公安移交 公安…不立案 派出所…转来 公安…转来
        `,
        roles: ['admin'],
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
    } satisfies Record<ReferralAction, CardHandler>,
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
