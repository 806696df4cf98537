import type { DeskAction } from './cards';
import { defineChat, type CardHandler } from '../chat-kit';
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
        phrases: `
          todo todolist 待处理 要我审批 要我处理 要我签收 等我确认 我…没办 我…没批 我手上 要处理的 我有什么要
        `,
        handler: showMyTodo,
      },
      leaderDigest: {
        words: ['今日提醒', '督办', '领导看板'],
        description: '(分管领导)所辖单位在办事项:超期、临期按颜色汇总,可一键催办',
        phrases: `
          超期 临期 逾期 催办 催一催 快到期 红色预警 预警 督办提醒 今天的提醒 所辖单位 分管 在办事项 提醒 !委托 !赋权
          !证件 !线索 !移送
        `,
        roles: ['leader'],
        handler: showLeaderDigest,
      },
      unitRanking: {
        words: ['单位排名', '排名'],
        description: '(司法局)各单位学时达标率与按时办理率排名图',
        phrases: `
          排名图 排行 排行榜 按时办理率 按时率 ranking 排个序 排第一 排位 综合排名 哪个单位…最高 !学时 !移送 !线索
        `,
        roles: ['bureau', 'leader'],
        handler: showUnitRanking,
      },
    },
    cardActions: { deadline_nudge: nudgeOwner, desk_open: openDeskCase } satisfies Record<DeskAction, CardHandler>,
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
