import { findDatePhrases, resolveDatePhrase, type DateContext, type ResolvedDate } from './relative-dates';

// The arguments a sentence carries, read without a model: who (a 执法证号 or a 2–4 character name in the places
// people put one), what to do with a certificate and why, an amount of money, and dates. Names are returned as
// written; the roster lookup (exact, part, by sound, within the asker's unit) happens where the roster is.

export type CertificateActionCode = 'suspend' | 'withdraw' | 'cancel' | 'restore';
export type ReasonCode =
  | 'transfer'
  | 'retirement'
  | 'departure'
  | 'criminal'
  | 'investigation'
  | 'assessment'
  | 'training'
  | 'expiredNotRenewed'
  | 'causeCleared';

export interface DateArg {
  phrase: string;
  resolved?: ResolvedDate;
}

export interface ExtractedArgs {
  officer?: string;
  action?: CertificateActionCode;
  reason?: ReasonCode;
  /** Whole yuan. */
  amountYuan?: number;
  dates?: DateArg[];
}

// Letters then digits, dashes allowed inside: HN023, HN-SJ-003. Digits alone are not taken (12345 is the hotline).
const CERT_NO = /(?<![A-Za-z0-9-])([A-Za-z]{1,4}(?:-?[A-Za-z0-9]{1,6})*?-?\d{2,})(?![A-Za-z0-9-])/;

// The commonest single-character surnames; a name is one of them and one or two more characters (or 小/老 + one).
// Left out: surnames that more often begin an ordinary word here (全县, 金额, 管辖, 时间, 明天, 关于, 单位, 申请 …).
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵严覃武戴莫孔汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲房滕屈饶牟艾尤阳穆卓缪简芦麦褚娄窦戚岑景费卜冷晏卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝';
// A character that cannot continue a name here: the words that follow a name in these sentences.
const STOP =
  '的调退辞被考学下上这已因要在证执先一月了那申办暂收注恢同说是没还都也又就把给去来今明昨和跟及岗离犯判涉违纪他她我们个位名';
const PRONOUN_OR_NOT_NAME = /^(他|她|我|你|某|这|那|一|有|大家|领导)/;
// 周三, 周末 read as a surname and a name would be wrong.
const DATE_LIKE = /^周[一二三四五六日天末]/;
const NAME_AFTER = /(?:给|帮|把|将|对|替|申请|暂扣|收回|注销|恢复)$/;

function nameAt(text: string, at: number): string | undefined {
  const chars = [...text.slice(at, at + 4)];
  let length: number;
  if ((chars[0] === '小' || chars[0] === '老') && chars[1] && SURNAMES.includes(chars[1])) length = 2;
  else if (chars[0] && SURNAMES.includes(chars[0])) {
    length = 1;
    while (length < 3 && chars[length] && /\p{Script=Han}/u.test(chars[length]!) && !STOP.includes(chars[length]!))
      length++;
    if (length === 1) return undefined;
  } else return undefined;
  const name = chars.slice(0, length).join('');
  return PRONOUN_OR_NOT_NAME.test(name) || DATE_LIKE.test(name) ? undefined : name;
}

/** A 执法证号 anywhere, else a name at the start, after 给/帮/把/申请/暂扣…, or right before 的证/的执法证. */
export function findOfficer(text: string): string | undefined {
  const certNo = CERT_NO.exec(text);
  if (certNo) return certNo[1]!.toUpperCase();
  const clauses = text.split(/[,,。;;!!??\s]+/).filter(Boolean);
  for (const clause of clauses) {
    for (let at = 0; at < clause.length; at++) {
      const before = clause.slice(0, at);
      if (at > 0 && !NAME_AFTER.test(before)) continue;
      const name = nameAt(clause, at);
      if (name) return name;
    }
    const owner = /([\u4e00-\u9fa5]{2,4})的(?:执法证件|执法证|证件|证)/.exec(clause);
    if (owner) {
      for (let start = 0; start < owner[1]!.length - 1; start++) {
        const name = nameAt(owner[1]!.slice(start), 0);
        if (name && owner[1]!.endsWith(name)) return name;
      }
    }
  }
  return undefined;
}

const ACTION_WORDS: [CertificateActionCode, RegExp][] = [
  ['restore', /恢复|还给他|发还/],
  ['cancel', /注销/],
  ['withdraw', /收回|收了|收掉|收缴/],
  ['suspend', /暂扣|扣了|扣下|扣押|先扣|扣证|扣他/],
];

// The order matters: 调查结束 is a cleared cause, not an investigation; 调走 is a transfer, 调查 is not.
const REASON_WORDS: [ReasonCode, RegExp][] = [
  ['causeCleared', /原因(已经?)?消除|调查结束|查清了|没问题了|处分期满/],
  ['expiredNotRenewed', /(到期|过期).{0,4}(没|未)换/],
  ['criminal', /判刑|刑事处罚|被判|犯罪/],
  ['investigation', /调查|立案|纪委|监委|在查|违纪|违法/],
  ['transfer', /调走|调离|调去|调到|调出|调动|转岗|不在执法岗/],
  ['retirement', /退休/],
  ['departure', /辞职|辞退|开除|离职/],
  ['assessment', /考核/],
  ['training', /学时(不够|不足|没够|没达标|不达标)/],
];

export function findAction(text: string): CertificateActionCode | undefined {
  return ACTION_WORDS.find(([, words]) => words.test(text))?.[0];
}

export function findReason(text: string): ReasonCode | undefined {
  return REASON_WORDS.find(([, words]) => words.test(text))?.[0];
}

const CN_DIGIT: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

/** 三万 → 30000, 五千 → 5000, 三万五 → 35000 (a bare last digit is one unit below the one before it). */
export function parseChineseAmount(text: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  for (const char of text) {
    if (char in CN_DIGIT) digit = CN_DIGIT[char]!;
    else if (char === '万') {
      total += (section + digit || 1) * 10000;
      section = 0;
      digit = 0;
      lastUnit = 10000;
    } else if (char in CN_UNIT) {
      section += (digit || 1) * CN_UNIT[char]!;
      digit = 0;
      lastUnit = CN_UNIT[char]!;
    } else return undefined;
  }
  return total + section + (lastUnit > 1 ? (digit * lastUnit) / 10 : digit);
}

const AMOUNT = /(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+)(万元|万|千元|千|元|块)/;

/** An amount of money with its unit (3万元, 30000元, 2.5万, 五千); a bare number is not taken for money. */
export function findAmount(text: string): number | undefined {
  const match = AMOUNT.exec(text.normalize('NFKC').replace(/(\d),(\d{3})/g, '$1$2'));
  if (!match) return undefined;
  const [, number, unit] = match;
  const scale = unit!.startsWith('万') ? 10000 : unit!.startsWith('千') ? 1000 : 1;
  if (/^\d/.test(number!)) return Math.round(Number(number) * scale);
  const value = parseChineseAmount(number!);
  // 五千元: the Chinese number already holds its 千; only a trailing 万/千 outside it scales.
  return value === undefined ? undefined : value * scale;
}

export function findDates(text: string, ctx: DateContext | undefined): DateArg[] {
  return findDatePhrases(text).map(({ phrase }) => {
    const resolved = ctx ? resolveDatePhrase(phrase, ctx) : undefined;
    return resolved ? { phrase, resolved } : { phrase };
  });
}

export function extractArgs(text: string, dates?: DateContext): ExtractedArgs {
  const plain = text.normalize('NFKC');
  const found: ExtractedArgs = {
    officer: findOfficer(plain),
    action: findAction(plain),
    reason: findReason(plain),
    amountYuan: findAmount(plain),
    dates: findDates(plain, dates),
  };
  if (!found.dates?.length) delete found.dates;
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined)) as ExtractedArgs;
}
