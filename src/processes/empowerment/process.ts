import { defineChat } from '../chat-kit';
import { defineProcess } from '../process';
import { empowermentActivities } from './activities';
import {
  exportEmpowermentLedger,
  exportTownshipEmpowerment,
  showEmpowermentLedger,
  showMyEmpowerment,
  startEmpowermentEvaluation,
} from './chat';
import { empowermentRoundsWorkflow } from './rounds-workflow';
import { empowermentTermWatchWorkflow } from './term-watch';

// Powers handed to townships and streets: the register, the yearly evaluation rounds, the 委托 term watch.
export const empowerment = defineProcess({
  name: 'empowerment',
  chat: defineChat({
    intents: {
      myEmpowerment: {
        words: ['赋权', '赋权事项', '本镇赋权'],
        description: '(乡镇/街道法制员、负责人)本乡镇的赋权事项:按领域、形式、期限,最近评估,进行中的评估和下一步',
        handler: showMyEmpowerment,
      },
      empowermentLedger: {
        words: ['赋权台账', '全县赋权'],
        description: '(司法局、领导)各乡镇/街道赋权事项数、即将届满的委托、进行中的评估、零办件',
        handler: showEmpowermentLedger,
      },
      startEmpowermentEvaluation: {
        words: ['发起赋权评估', '赋权评估'],
        description: '(司法局)为登记簿中的各乡镇/街道发起本年度赋权事项评估',
        changesState: true,
        handler: startEmpowermentEvaluation,
      },
    },
    cardActions: {
      export_empowerment_township: exportTownshipEmpowerment,
      export_empowerment_ledger: exportEmpowermentLedger,
    },
  }),
  activities: (deps) => empowermentActivities(deps),
  schedules: [
    {
      scheduleId: 'empowerment-term-watch',
      workflow: empowermentTermWatchWorkflow,
      description: '每日检查委托期限(届满前90天、30天、7天及届满各提醒一次)和委托书逾期未备案',
      calendar: () => ({ hour: 9, minute: 10 }),
      args: () => [],
    },
    {
      scheduleId: 'empowerment-rounds',
      workflow: empowermentRoundsWorkflow,
      description: '每年1月15日为登记簿中的各乡镇/街道发起年度赋权事项评估(评估期、完成时限和各步时限可在参数中调整)',
      calendar: () => ({ month: 'JANUARY', dayOfMonth: 15, hour: 9, minute: 0 }),
      args: () => [{}],
    },
  ],
});
