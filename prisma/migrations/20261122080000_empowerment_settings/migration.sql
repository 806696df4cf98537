-- The bureau's empowerment settings as data (issue #7): the scoring template and the field → original
-- department map. Every load is a new row, so what a round used can be traced; the latest row is in force.
CREATE TABLE "empowerment_setting" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "loaded_by" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "empowerment_setting_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "empowerment_setting_kind_check" CHECK ("kind" IN ('scoring_template', 'original_departments'))
);

CREATE INDEX "empowerment_setting_kind_id_idx" ON "empowerment_setting"("kind", "id");
