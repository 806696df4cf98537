import type { TrainingAction } from './cards';
import { defineChat, type CardHandler } from '../chat-kit';
import { defineProcess } from '../process';
import { trainingActivities } from './activities';
import { showCountyHours, showMyHours, showTrainingReportForm, showUnitHours, submitTrainingReport } from './chat';
import { trainingCountyWorkflow } from './county-workflow';
import { exportCountyHours, exportUnitHours, exportYearEnd } from './export';

// Training hours (60 a year each): my hours, reporting a training, the unit's and the county's standing, the year's
// checkpoints and year-end list.
export const training = defineProcess({
  name: 'training',
  chat: defineChat({
    intents: {
      myHours: {
        words: ['学时', '我的学时', '培训学时'],
        description: '我今年的培训学时:已完成、还差多少、最近记录',
        menuKeys: ['my_hours'],
        phrases: `
          我…学时 俺…学时 myhours hours 学时…够 学时…差 还差…学时 学时…达标 我…学了多少 学了多少…小时 我…培训记录 我的培训
          !单位 !全县 !县里 !各 !本局 !我们 !咱 !谁 !哪些 !哪个 !报 !登记 !补录 !补登 !录 !模板
        `,
        handler: showMyHours,
      },
      reportHours: {
        words: ['报学时', '登记学时', '学时登记'],
        description: '登记参加过的培训,由本单位法制员确认',
        forModel: '(打开登记表)',
        menuKeys: ['report_hours'],
        phrases: `
          登记…学时 报…学时 学时…报 学时…登记 参加了…培训 培训…登记 登记…培训 补录 补登 培训…怎么登记 学了…课…登记
          参加…培训 去…培训 培训了 提前报 reporthours !单位 !全县 !案 !模板
        `,
        roles: ['officer'],
        takes: ['dates'],
        handler: showTrainingReportForm,
      },
      unitHours: {
        words: ['本单位学时', '单位学时'],
        description: '(法制员、负责人)本单位学时达标情况和落后人员',
        phrases: `
          单位…学时 本单位 我们单位 我们局 本局 队里 我们所 单位…培训 谁…学时 谁…没学够 学时…落后 落后…人 学时…不够
          学时…达标 学时…高风险 学时…进度 学时…情况 !模板 !证件 !全县 !各单位 !各局 !县里 !哪些单位 !哪个单位
        `,
        roles: ['admin', 'supervisor'],
        handler: showUnitHours,
      },
      countyHours: {
        words: ['学时统计', '全县学时'],
        description: '(领导、司法局)各单位学时完成率排名',
        phrases: `
          全县…学时 县里…学时 各单位…学时 各局…学时 各部门…学时 哪些单位…学时 哪个单位…学时 谁家单位…学时 全县…达标
          县里…达标 各单位…达标 各局…达标 各部门…达标 哪些单位…达标 哪个单位…达标 谁家单位…达标 全县…培训 各单位…培训
          完成率 学时…排 全县执法人员 完不成 单位…最差 季度…达标 !移送 !赋权
        `,
        roles: ['leader', 'bureau'],
        handler: showCountyHours,
      },
    },
    cardActions: {
      training_report_submit: submitTrainingReport,
      export_unit_hours: exportUnitHours,
      export_county_hours: exportCountyHours,
      export_year_end: exportYearEnd,
    } satisfies Record<TrainingAction, CardHandler>,
  }),
  activities: (deps) => trainingActivities(deps),
  schedules: [
    {
      scheduleId: 'training-year',
      workflow: trainingCountyWorkflow,
      description: '每年1月1日开启全县培训学时年度(各单位的学时检查点、季度通报、年终名单)',
      calendar: () => ({ month: 'JANUARY', dayOfMonth: 1, hour: 0, minute: 5 }),
      args: ({ timeZone }) => [{ timeZone }],
    },
  ],
});
