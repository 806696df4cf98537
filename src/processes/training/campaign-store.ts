import { basename } from 'node:path';
import type { PrismaClient } from '../../platform/db/database';
import { readSheet, type Sheet } from '../../platform/sheets/spreadsheet';
import { validateCampaignRows } from './campaign-rows';
import { isoDateOf } from '../../core/dates';
import { attendedCampaign, type RotationCampaign } from './rules';
import type { RowError } from '../../core/table-rows';

// Rotation campaigns (全员轮训) are data the bureau loads (the province sets name, course and deadline);
// attendance is read from the training records: a confirmed record of that course by the deadline.

export type CampaignLoad = { ok: true; names: string[] } | { ok: false; errors: RowError[] };

export async function loadCampaignFile(prisma: PrismaClient, file: string, actor: string): Promise<CampaignLoad> {
  return loadCampaignSheet(prisma, await readSheet(file), file, actor);
}

/**
 * The same for a sheet already read (a file sent in chat). Campaigns are upserted by name and none is
 * removed: a file adds or changes the campaigns it names, and the others stand.
 */
export async function loadCampaignSheet(
  prisma: PrismaClient,
  sheet: Sheet,
  fileName: string,
  actor: string,
): Promise<CampaignLoad> {
  const validated = validateCampaignRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  await prisma.$transaction(async (tx) => {
    for (const c of validated.campaigns) {
      const data = { course: c.course, deadline: new Date(`${c.deadline}T00:00:00Z`), units: c.units };
      await tx.trainingCampaign.upsert({ where: { name: c.name }, create: { name: c.name, ...data }, update: data });
    }
    await tx.auditEvent.create({
      data: {
        actor,
        action: 'training.campaigns_loaded',
        subject: 'training',
        details: { file: basename(fileName), campaigns: validated.campaigns.map((c) => c.name) },
      },
    });
  });
  return { ok: true, names: validated.campaigns.map((c) => c.name) };
}

export interface CampaignStanding {
  name: string;
  course: string;
  deadline: string;
  attended: boolean;
}

/** The campaigns an officer's unit is listed in, and whether the officer has attended each. */
export async function campaignsFor(
  prisma: PrismaClient,
  officer: { id: number; unitName: string },
): Promise<CampaignStanding[]> {
  const rows = await prisma.trainingCampaign.findMany({
    where: { units: { has: officer.unitName } },
    orderBy: { deadline: 'asc' },
  });
  if (!rows.length) return [];
  const records = await prisma.trainingRecord.findMany({
    where: { officerId: officer.id, course: { in: rows.map((r) => r.course) } },
    select: { course: true, date: true, category: true, halfHours: true, status: true },
  });
  const asRecords = records.map((r) => ({
    course: r.course,
    date: isoDateOf(r.date),
    category: r.category,
    hours: r.halfHours / 2,
    status: r.status,
  }));
  return rows.map((r) => {
    const campaign: RotationCampaign = {
      name: r.name,
      course: r.course,
      deadline: isoDateOf(r.deadline),
      units: r.units,
    };
    return {
      name: r.name,
      course: r.course,
      deadline: campaign.deadline,
      attended: attendedCampaign(campaign, asRecords),
    };
  });
}
