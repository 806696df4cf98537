import { addDays } from '../../src/core/calendar';
import { daysBetween } from '../../src/core/dates';
import {
  daysInYear,
  defaultRule,
  expectedHours,
  type TrainingCategory,
  type TrainingStatus,
} from '../../src/processes/training/rules';

// Demo training records: each officer is given a total that puts them in a chosen status on the seed day
// (met, on track, behind, at risk), spread over the year so far. Pure, so the sandbox test can compute what
// the bot should answer.

const CATEGORY_CYCLE: TrainingCategory[] = ['public_law', 'business', 'skills', 'business'];
const COURSES: Record<TrainingCategory, string[]> = {
  public_law: ['行政处罚法专题讲座', '行政复议法解读', '法制大讲堂'],
  business: ['市场监管执法实务', '案卷制作规范', '现场检查要点'],
  skills: ['执法记录仪使用', '行政执法三项制度', '执法文书写作'],
};
const half = (n: number) => Math.max(0, Math.round(n * 2) / 2);

/** The total a person is given to land in `status` on `today` (the status may shift near year end). */
export function demoTotal(status: TrainingStatus, today: string, salt: number): number {
  const year = Number(today.slice(0, 4));
  const rule = defaultRule(year);
  const expected = expectedHours(rule, today);
  const daysLeft = Math.max(daysBetween(today, `${year}-12-31`), 0);
  const riskLine = 60 - (60 / daysInYear(year)) * daysLeft * rule.atRiskPaceFactor; // below this: at risk
  if (status === 'met') return 60 + (salt % 4) * 1.5;
  if (status === 'on_track') return Math.min(half(expected + 1 + (salt % 3)), 59.5);
  if (status === 'behind') return half(Math.max(riskLine + 1, expected * 0.75, 0));
  return half(Math.max(Math.min(expected * 0.3, riskLine - 3), 0));
}

export interface DemoRecord {
  course: string;
  category: TrainingCategory;
  halfHours: number;
  date: string;
}

/** `total` hours as records of at most 8 hours, dated evenly from 1 January to `today`. */
export function demoRecords(total: number, today: string, salt: number): DemoRecord[] {
  const year = Number(today.slice(0, 4));
  const span = Math.max(daysBetween(`${year}-01-01`, today), 0);
  const records: DemoRecord[] = [];
  let left = Math.round(total * 2);
  for (let i = 0; left > 0; i++) {
    const halfHours = Math.min(16, left);
    const category = CATEGORY_CYCLE[(i + salt) % CATEGORY_CYCLE.length]!;
    const date = addDays(`${year}-01-01`, Math.floor((span * (i + 1)) / (Math.ceil(total / 8) + 1)));
    records.push({ course: COURSES[category][(i + salt) % 3]!, category, halfHours, date });
    left -= halfHours;
  }
  return records;
}

/** Who is in which status: the persona officer 张伟 is behind, so the sandbox shows a useful answer. */
export function demoStatusOf(pinyin: string, index: number): TrainingStatus {
  if (pinyin === 'zhangwei') return 'behind';
  return (['met', 'on_track', 'met', 'behind', 'at_risk', 'on_track'] as const)[index % 6]!;
}
