-- CreateEnum
CREATE TYPE "deadline_state" AS ENUM ('open', 'done', 'cancelled');

-- CreateTable
CREATE TABLE "deadline_item" (
    "id" SERIAL NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "step_key" TEXT NOT NULL,
    "process" TEXT NOT NULL,
    "case_label" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "step_title" TEXT NOT NULL,
    "step_kind" TEXT NOT NULL,
    "unit_name" TEXT NOT NULL,
    "owner_open_id" TEXT,
    "owner_name" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "clock_label" TEXT NOT NULL,
    "statutory" BOOLEAN NOT NULL DEFAULT false,
    "state" "deadline_state" NOT NULL DEFAULT 'open',
    "closed_at" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "deadline_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadline_nudge" (
    "item_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "by_open_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deadline_nudge_pkey" PRIMARY KEY ("item_id","day")
);

-- CreateTable
CREATE TABLE "escalation_rule" (
    "process" TEXT NOT NULL,
    "step_key" TEXT NOT NULL,
    "milestone" TEXT NOT NULL,
    "notify" TEXT[],

    CONSTRAINT "escalation_rule_pkey" PRIMARY KEY ("process","step_key","milestone")
);

-- CreateTable
CREATE TABLE "digest_delivery" (
    "day" DATE NOT NULL,
    "open_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_delivery_pkey" PRIMARY KEY ("day","open_id","kind")
);

-- CreateIndex
CREATE UNIQUE INDEX "deadline_item_workflow_id_run_id_step_key_key" ON "deadline_item"("workflow_id", "run_id", "step_key");

-- CreateIndex
CREATE INDEX "deadline_item_state_due_at_idx" ON "deadline_item"("state", "due_at");

-- CreateIndex
CREATE INDEX "deadline_item_owner_open_id_state_idx" ON "deadline_item"("owner_open_id", "state");

-- CreateIndex
CREATE INDEX "deadline_item_unit_name_state_idx" ON "deadline_item"("unit_name", "state");

-- AddForeignKey
ALTER TABLE "deadline_nudge" ADD CONSTRAINT "deadline_nudge_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "deadline_item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The shipped escalation ladder (every process, every step): the owner at half time, the owner and their
-- superior at the deadline and one working day after, the bureau's leaders too at five working days late.
INSERT INTO "escalation_rule" ("process", "step_key", "milestone", "notify") VALUES
    ('*', '*', 'half', '{owner}'),
    ('*', '*', 'due', '{owner,superior}'),
    ('*', '*', 'due+1', '{owner,superior}'),
    ('*', '*', 'due+5', '{owner,superior,bureau}');
