import { defineChat } from '../chat-kit';
import { defineProcess } from '../process';
import { deskActivities } from './activities';
import { nudgeOwner, openDeskCase, showLeaderDigest, showMyTodo, showUnitRanking } from './chat';
import { dailyDigestWorkflow } from './digest-workflow';

// Everyone's desk: 待办 (my open steps across every process), the leaders' digest with 催办, the units' ranking.
export const desk = defineProcess({
  name: 'desk',
  chat: defineChat({
    intents: {
      myTodo: {
        words: ['待办', '我的待办', '待办事项', 'todo'],
        description: '我要办理的事项(审批、确认等),最急的在前,可直接办理',
        menuKeys: ['my_todo'],
        handler: showMyTodo,
      },
      leaderDigest: {
        words: ['今日提醒', '督办', '领导看板'],
        description: '(分管领导)所辖单位在办事项:超期、临期按颜色汇总,可一键催办',
        handler: showLeaderDigest,
      },
      unitRanking: {
        words: ['单位排名', '排名'],
        description: '(司法局)各单位学时达标率与按时办理率排名图',
        handler: showUnitRanking,
      },
    },
    cardActions: { deadline_nudge: nudgeOwner, desk_open: openDeskCase },
  }),
  activities: (deps) => deskActivities({ ...deps, ...deps.desk }),
  schedules: [
    {
      scheduleId: 'daily-digest',
      workflow: dailyDigestWorkflow,
      description: '工作日每天一张领导待办提醒卡片(节假日和调休休息日不发);每周第一个工作日附各单位排名图表',
      calendar: ({ digestAt }) => ({ hour: digestAt.hour, minute: digestAt.minute }), // every day; rest days skipped by the calendar
      args: () => [{}],
    },
  ],
});
