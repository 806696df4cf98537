-- CreateTable
CREATE TABLE "referral" (
    "id" SERIAL NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "unit_name" TEXT NOT NULL,
    "counterpart" TEXT NOT NULL,
    "procuratorate" TEXT,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "step_key" TEXT,
    "step_title" TEXT,
    "due_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "steps_done" INTEGER NOT NULL DEFAULT 0,
    "steps_late" INTEGER NOT NULL DEFAULT 0,
    "refusals" INTEGER NOT NULL DEFAULT 0,
    "send_backs" INTEGER NOT NULL DEFAULT 0,
    "history" JSONB NOT NULL DEFAULT '[]',
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "referral_threshold" (
    "case_type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "amount_yuan" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "example" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "referral_threshold_pkey" PRIMARY KEY ("case_type")
);

-- CreateTable
CREATE TABLE "referral_prompt" (
    "id" SERIAL NOT NULL,
    "unit_name" TEXT NOT NULL,
    "case_ref" TEXT NOT NULL,
    "case_type" TEXT NOT NULL,
    "amount_yuan" INTEGER NOT NULL,
    "asked_open_id" TEXT,
    "asked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answer" TEXT,
    "reason" TEXT,
    "answered_by" TEXT,
    "answered_at" TIMESTAMPTZ(3),

    CONSTRAINT "referral_prompt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "referral_workflow_id_key" ON "referral"("workflow_id");

-- CreateIndex
CREATE INDEX "referral_unit_name_status_idx" ON "referral"("unit_name", "status");

-- CreateIndex
CREATE UNIQUE INDEX "referral_prompt_unit_name_case_ref_key" ON "referral_prompt"("unit_name", "case_ref");

-- Example thresholds (立案追诉标准; a county loads its own, see workflows/domain/referral.ts EXAMPLE_THRESHOLDS).
INSERT INTO "referral_threshold" ("case_type", "title", "amount_yuan", "basis", "example") VALUES
    ('fakeProducts', '生产、销售伪劣产品(销售金额)', 50000, '刑法第140条', true),
    ('counterfeitTrademark', '假冒注册商标(非法经营数额)', 50000, '刑法第213条; 立案追诉标准', true),
    ('counterfeitGoods', '销售假冒注册商标的商品(销售金额)', 50000, '刑法第214条; 立案追诉标准', true);

-- Leads keep their own chase (催办 before and after the deadline, 通报 at 5 working days late, run by the lead
-- workflow from the lead rules): the shared ladder would tell the same people twice, so for leads it only
-- tells the owner at the deadline.
INSERT INTO "escalation_rule" ("process", "step_key", "milestone", "notify") VALUES
    ('lead', '*', 'due', '{owner}');
