import type { ExtractedArgs } from './extract-args';
import type { IntentPhrases } from './local-matcher';

// How people ask for each capability when they do not know the keyword: synonyms, common phrasings, and the
// scope words that tell 我的 / 本单位 / 全县 apart. Written from bench/intents/utterances.json and from how
// officers talk; bench/intents/held-out.json is never drawn on, so the bench's held-out figure stays honest.
// 「A…B」 means A then B with a few characters between; 「!A」 counts against (A points to a neighbouring intent).
// The keywords themselves are not repeated here: they come from the routes (`intentsForMatcher`).

export interface PhraseEntry {
  phrases: string[];
  roles: string[];
  takes?: (keyof ExtractedArgs)[];
}

/** A phrase list written as space-separated items (spaces inside a phrase mean nothing: matching ignores them). */
function list(items: string): string[] {
  return items.split(/\s+/).filter(Boolean);
}

export const INTENT_PHRASES: Record<string, PhraseEntry> = {
  myHours: {
    phrases: list(`
      我…学时 俺…学时 myhours hours 学时…够 学时…差 还差…学时 学时…达标 我…学了多少 学了多少…小时 我…培训记录 我的培训
      !单位 !全县 !县里 !各 !本局 !我们 !咱 !谁 !哪些 !哪个 !报 !登记 !补录 !补登 !录 !模板
    `),
    roles: [],
  },
  reportHours: {
    phrases: list(`
      登记…学时 报…学时 学时…报 学时…登记 参加了…培训 培训…登记 登记…培训 补录 补登 培训…怎么登记 学了…课…登记
      参加…培训 去…培训 培训了 提前报 reporthours !单位 !全县 !案 !模板
    `),
    roles: ['officer'],
    takes: ['dates'],
  },
  unitHours: {
    phrases: list(`
      单位…学时 本单位 我们单位 我们局 本局 队里 我们所 单位…培训 谁…学时 谁…没学够 学时…落后 落后…人 学时…不够
      学时…达标 学时…高风险 学时…进度 学时…情况 !模板 !证件 !全县 !各单位 !各局 !县里 !哪些单位 !哪个单位
    `),
    roles: ['admin', 'supervisor'],
  },
  countyHours: {
    phrases: list(`
      全县…学时 县里…学时 各单位…学时 各局…学时 各部门…学时 哪些单位…学时 哪个单位…学时 谁家单位…学时 全县…达标
      县里…达标 各单位…达标 各局…达标 各部门…达标 哪些单位…达标 哪个单位…达标 谁家单位…达标 全县…培训 各单位…培训
      完成率 学时…排 全县执法人员 完不成 单位…最差 季度…达标 !移送 !赋权
    `),
    roles: ['leader', 'bureau'],
  },
  myCertificate: {
    phrases: list(`
      我的证 我…证件 我…执法证 证…到期 证…过期 证…有效 有效期 执法证号 证…状态 证…还能用 被暂扣 我…证 !单位 !审批
      !案件 !案子 !办理 !申请 !批 !把 !给 !收回 !注销 !恢复 !扣了 certificate mycert license
    `),
    roles: [],
  },
  startCertificateCase: {
    phrases: list(`
      暂扣…证 收回…证 注销…证 恢复…证 证…暂扣 证…收回 证…注销 证…恢复 证…扣了 证…扣 申请注销 申请暂扣 申请收回
      申请恢复 把…证…扣 学时不够 考核不合格 退休 调走 辞职 判刑 调离 !批下来 !进度 !到哪 !审批 !在办 !有几个 !没批
      !我的证 !我执法证
    `),
    roles: ['admin'],
    takes: ['officer', 'action', 'reason', 'dates'],
  },
  unitCertificateCases: {
    phrases: list(`
      证件…审批 审批…证件 证件…办理到 证件…进度 证件案 证件…超期 在办…证件 证件…案子 证件…流程 批下来 到哪一步 走到哪
      待我审批 哪些证件 暂扣…案子 证件…有几个 证件办理进度 certificatecases
    `),
    roles: ['admin', 'supervisor'],
  },
  importTemplates: {
    phrases: list(`
      模版 名册…模板 表格 表头 template excel模板 格式 空白表 导入…表 导入…格式 导…人员 名册导入 下载 登记表 表…模板
      excel模板 template
    `),
    roles: ['admin', 'bureau'],
  },
  myTodo: {
    phrases: list(`
      todo todolist 待处理 要我审批 要我处理 要我签收 等我确认 我…没办 我…没批 我手上 要处理的 我有什么要
    `),
    roles: [],
  },
  leaderDigest: {
    phrases: list(`
      超期 临期 逾期 催办 催一催 快到期 红色预警 预警 督办提醒 今天的提醒 所辖单位 分管 在办事项 提醒 !委托 !赋权
      !证件 !线索 !移送
    `),
    roles: ['leader'],
  },
  unitRanking: {
    phrases: list(`
      排名图 排行 排行榜 按时办理率 按时率 ranking 排个序 排第一 排位 综合排名 哪个单位…最高 !学时 !移送 !线索
    `),
    roles: ['bureau', 'leader'],
  },
  startCriminalReferral: {
    phrases: list(`
      涉嫌犯罪 犯罪 涉刑 刑事移送 移交公安 移送…公安 公安机关 交给派出所 追诉标准…移送 移送司法 涉刑…移送 犯罪…移送
      !台账 !金额多少 !汇总 !统计 !县里 !全县 !各单位
    `),
    roles: ['officer', 'admin'],
  },
  startInterAgencyReferral: {
    phrases: list(`
      不归我们管 管辖 有管辖权 移给 移交给…局 转给…局 移交…行政机关 移送给…局 移送给…委 交给…局 转过去 其他部门
      执法部门 移交别的 转给 移送给 !公安 !派出所 !12345 !线索 !签收
    `),
    roles: ['admin', 'supervisor'],
  },
  dispatchLead: {
    phrases: list(`
      派给 派发 分派 派下去 派一条 派个单 工单 12345 热线 督察线索 举报线索 线索…派 派…线索 dispatch
    `),
    roles: ['bureau'],
    takes: ['dates'],
  },
  openReferrals: {
    phrases: list(`
      移送…到哪一步 移送…进度 线索…进度 线索…剩 线索…超时 线索…到期 签收了没 签收了吗 移送…状态 移送…没办完 在办…移送
      在办的线索 移送列表 我们单位移送 移送的案 !台账 !全县 !各单位 !县里
    `),
    roles: ['admin', 'supervisor'],
  },
  referralLedger: {
    phrases: list(`
      台账 各单位…移送 全县…移送 全县…线索 单位…移送…超期 移送…按时率 线索…按时率 拒收 退单 移送…统计 移送…汇总
      移送…报表 县里…移送 移送…台账 线索…台账 行刑衔接…台账 ledger !赋权
    `),
    roles: ['bureau', 'leader'],
  },
  recordCaseAmount: {
    phrases: list(`
      案值 涉案金额 金额 货值 罚没金额 够不够追诉 追诉 够刑事 !移送
    `),
    roles: ['officer'],
    takes: ['amountYuan', 'dates'],
  },
  receiveReverseReferral: {
    phrases: list(`
      移过来 转来 转过来 移交过来 公安…退回 退回来 移送函 公安机关移送 公安移交 公安…不立案 派出所…转来 公安…转来
    `),
    roles: ['admin'],
  },
  myEmpowerment: {
    phrases: list(`
      我们镇 本镇 本街道 本乡镇 咱们街道 下放 委托…到期 委托期限 交由行使 承接…事项 赋权清单 赋权…到哪一步 赋权…导出
      !零办件 !统计 !台账 !模板 !全县 !各乡镇 !各街道 !所有乡镇 !县里 !发起 !启动
    `),
    roles: ['admin', 'supervisor'],
  },
  empowermentLedger: {
    phrases: list(`
      各乡镇 各街道 所有乡镇 全县…赋权 县里…赋权 零办件 即将届满 届满 全县…委托 全县…下放 赋权…台账 各乡镇…评估进度
      各乡镇…赋权 各…赋权事项 赋权事项…数量 零办件…统计 !模板
    `),
    roles: ['bureau', 'leader'],
  },
  startEmpowermentEvaluation: {
    phrases: list(`
      发起…评估 启动…评估 开始…评估 评估…开始 组织…评估 新建…评估 搞…评估 启动 start 发起…赋权 !到哪 !进度 !结果
    `),
    roles: ['bureau'],
    takes: ['dates'],
  },
  help: {
    phrases: list(`
      你好 您好 你能 怎么用 在吗 谢谢 你是谁 能干啥 能做什么 功能 机器人 hello hi
    `),
    roles: [],
  },
};

/**
 * The matcher's list from the routes' keywords (`TEXT_ROUTES`) and whether each intent changes state (the
 * catalogue); passed in, so this file depends on neither. An intent without phrases here still matches its words.
 */
export function intentsForMatcher(
  routes: { intent: string; words: string[] }[],
  changesState: (intent: string) => boolean,
): IntentPhrases[] {
  return routes.map(({ intent, words }) => ({
    intent,
    words,
    phrases: INTENT_PHRASES[intent]?.phrases ?? [],
    roles: INTENT_PHRASES[intent]?.roles ?? [],
    takes: INTENT_PHRASES[intent]?.takes,
    changesState: changesState(intent),
  }));
}
