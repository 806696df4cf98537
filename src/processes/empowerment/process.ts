import type { EmpowermentAction } from './cards';
import { defineChat, type CardHandler } from '../chat-kit';
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
        phrases: `
          我们镇 本镇 本街道 本乡镇 咱们街道 下放 委托…到期 委托期限 交由行使 承接…事项 赋权清单 赋权…到哪一步 赋权…导出
          !零办件 !统计 !台账 !模板 !全县 !各乡镇 !各街道 !所有乡镇 !县里 !发起 !启动
        `,
        roles: ['admin', 'supervisor'],
        handler: showMyEmpowerment,
      },
      empowermentLedger: {
        words: ['赋权台账', '全县赋权'],
        description: '(司法局、领导)各乡镇/街道赋权事项数、即将届满的委托、进行中的评估、零办件',
        phrases: `
          各乡镇 各街道 所有乡镇 全县…赋权 县里…赋权 零办件 即将届满 届满 全县…委托 全县…下放 赋权…台账 各乡镇…评估进度
          各乡镇…赋权 各…赋权事项 赋权事项…数量 零办件…统计 !模板
        `,
        roles: ['bureau', 'leader'],
        handler: showEmpowermentLedger,
      },
      startEmpowermentEvaluation: {
        words: ['发起赋权评估', '赋权评估'],
        description: '(司法局)为登记簿中的各乡镇/街道发起本年度赋权事项评估',
        changesState: true,
        phrases: `
          发起…评估 启动…评估 开始…评估 评估…开始 组织…评估 新建…评估 搞…评估 启动 start 发起…赋权 !到哪 !进度 !结果
        `,
        roles: ['bureau'],
        takes: ['dates'],
        handler: startEmpowermentEvaluation,
      },
    },
    cardActions: {
      export_empowerment_township: exportTownshipEmpowerment,
      export_empowerment_ledger: exportEmpowermentLedger,
    } satisfies Record<EmpowermentAction, CardHandler>,
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
