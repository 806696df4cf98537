import { defineChat } from '../chat-kit';
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
        handler: showMyHours,
      },
      reportHours: {
        words: ['报学时', '登记学时', '学时登记'],
        description: '登记参加过的培训,由本单位法制员确认',
        forModel: '(打开登记表)',
        menuKeys: ['report_hours'],
        handler: showTrainingReportForm,
      },
      unitHours: {
        words: ['本单位学时', '单位学时'],
        description: '(法制员、负责人)本单位学时达标情况和落后人员',
        handler: showUnitHours,
      },
      countyHours: {
        words: ['学时统计', '全县学时'],
        description: '(领导、司法局)各单位学时完成率排名',
        handler: showCountyHours,
      },
    },
    cardActions: {
      training_report_submit: submitTrainingReport,
      export_unit_hours: exportUnitHours,
      export_county_hours: exportCountyHours,
      export_year_end: exportYearEnd,
    },
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
