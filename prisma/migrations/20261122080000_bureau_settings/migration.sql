-- The bureau's settings as data: the empowerment scoring template and field → original department map
-- (issue #7), the hotline lead rules (issue #8). Every load is a new row, so what a process used can be
-- traced; the latest row of a kind is in force.
CREATE TABLE "bureau_setting" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "loaded_by" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bureau_setting_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bureau_setting_kind_check" CHECK ("kind" IN ('scoring_template', 'original_departments', 'lead_rules'))
);

CREATE INDEX "bureau_setting_kind_id_idx" ON "bureau_setting"("kind", "id");
