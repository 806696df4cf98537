import { pinyin } from 'pinyin-pro';
import type { PrismaClient } from '../../platform/db/database';

// A name or 执法证号 as the user (or the model, repeating the user) wrote it → roster entries, resolved here so
// the model never sees the roster: exact 执法证号, then exact name, then part of a name within the asker's
// scope (their unit; the whole county for the bureau), then by sound: pinyin ("zhangsan", "zs") or a
// same-sounding character typed by mistake (张叁 for 张三). 小张 and 老张 name someone surnamed 张.

const OFFICER = { name: true, certNo: true, unitId: true, unit: { select: { name: true } } } as const;

export type Resolution =
  | { kind: 'one'; officer: { name: string; certNo: string; unitId: number; unit: { name: string } } }
  | { kind: 'several'; officers: Array<{ name: string; certNo: string; unitId: number; unit: { name: string } }> }
  | { kind: 'none' };

export async function resolveOfficer(
  prisma: PrismaClient,
  scope: { unitId?: number },
  written: string,
): Promise<Resolution> {
  const text = written.trim().replace(/[\s"“”「」]/g, '');
  if (!text) return { kind: 'none' };
  // 小张 / 老张: how colleagues name each other; the surname is what it says of the name.
  const surname = /^[小老]([\u4e00-\u9fa5])$/.exec(text)?.[1];
  const tries = [
    { certNo: text.toUpperCase() },
    { name: text },
    { name: { contains: text } },
    ...(surname ? [{ name: { startsWith: surname } }] : []),
  ];
  for (const where of tries) {
    const found = await prisma.officer.findMany({
      where: { ...scope, ...where },
      select: OFFICER,
      take: 6,
      orderBy: { id: 'asc' },
    });
    if (found.length === 1) return { kind: 'one', officer: found[0]! };
    if (found.length > 1) return { kind: 'several', officers: found };
  }
  return bySound(prisma, scope, text);
}

const fullPinyin = (s: string) => pinyin(s, { toneType: 'none', separator: '', nonZh: 'consecutive' }).toLowerCase();
const initials = (s: string) =>
  pinyin(s, { pattern: 'first', toneType: 'none', separator: '', nonZh: 'consecutive' }).toLowerCase();

async function bySound(prisma: PrismaClient, scope: { unitId?: number }, text: string): Promise<Resolution> {
  const latin = /^[a-z]+$/i.test(text);
  const sound = latin ? text.toLowerCase() : fullPinyin(text);
  if (sound.length < 2) return { kind: 'none' };
  const everyone = await prisma.officer.findMany({ where: scope, select: OFFICER, orderBy: { id: 'asc' } });
  const found = everyone
    .filter((o) => fullPinyin(o.name) === sound || (latin && sound.length >= 2 && initials(o.name) === sound))
    .slice(0, 6);
  if (found.length === 1) return { kind: 'one', officer: found[0]! };
  return found.length ? { kind: 'several', officers: found } : { kind: 'none' };
}
