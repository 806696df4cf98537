-- CreateEnum
CREATE TYPE "grant_form" AS ENUM ('delegated', 'entrusted');

-- CreateTable
CREATE TABLE "empowerment_version" (
    "id" SERIAL NOT NULL,
    "township" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "valid_from" DATE NOT NULL,
    "decision" JSONB NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "empowerment_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "empowerment_grant" (
    "id" SERIAL NOT NULL,
    "version_id" INTEGER NOT NULL,
    "form" "grant_form" NOT NULL,
    "document_no" TEXT NOT NULL,
    "department" TEXT,
    "authority" TEXT,
    "term_start" DATE,
    "term_end" DATE,
    "filed" DATE,
    "published" DATE,

    CONSTRAINT "empowerment_grant_pkey" PRIMARY KEY ("id"),
    -- Two record types never mixed: 交由行使 is published and has no 委托 fields; 委托 names its department,
    -- authority and term.
    CONSTRAINT "empowerment_grant_form_fields" CHECK (
        ("form" = 'delegated' AND "published" IS NOT NULL AND "department" IS NULL AND "authority" IS NULL
            AND "term_start" IS NULL AND "term_end" IS NULL AND "filed" IS NULL)
        OR ("form" = 'entrusted' AND "department" IS NOT NULL AND "authority" IS NOT NULL
            AND "term_start" IS NOT NULL AND "term_end" IS NOT NULL AND "term_end" > "term_start")
    )
);

-- CreateTable
CREATE TABLE "empowerment_matter" (
    "id" SERIAL NOT NULL,
    "grant_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "legal_basis" TEXT NOT NULL,
    "evaluated_on" DATE,
    "last_outcome" TEXT,
    "last_cases" INTEGER,

    CONSTRAINT "empowerment_matter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "empowerment_round" (
    "workflow_id" TEXT NOT NULL,
    "township" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_on" DATE,
    "stage" TEXT NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "version_id" INTEGER,
    "publication" JSONB,

    CONSTRAINT "empowerment_round_pkey" PRIMARY KEY ("workflow_id")
);

-- CreateTable
CREATE TABLE "empowerment_term_notice" (
    "township" TEXT NOT NULL,
    "document_no" TEXT NOT NULL,
    "term_end" DATE NOT NULL,
    "milestone" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "empowerment_term_notice_pkey" PRIMARY KEY ("township","document_no","term_end","milestone")
);

-- CreateIndex
CREATE UNIQUE INDEX "empowerment_version_township_version_key" ON "empowerment_version"("township", "version");

-- CreateIndex
CREATE INDEX "empowerment_version_township_valid_from_idx" ON "empowerment_version"("township", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "empowerment_grant_version_id_form_document_no_key" ON "empowerment_grant"("version_id", "form", "document_no");

-- CreateIndex
CREATE UNIQUE INDEX "empowerment_matter_grant_id_code_key" ON "empowerment_matter"("grant_id", "code");

-- CreateIndex
CREATE INDEX "empowerment_round_township_closed_at_idx" ON "empowerment_round"("township", "closed_at");

-- AddForeignKey
ALTER TABLE "empowerment_grant" ADD CONSTRAINT "empowerment_grant_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "empowerment_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "empowerment_matter" ADD CONSTRAINT "empowerment_matter_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "empowerment_grant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A register version is history: a later version corrects it, nothing rewrites it.
CREATE FUNCTION "empowerment_version_append_only"() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'empowerment register versions are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "empowerment_version_no_change" BEFORE UPDATE OR DELETE ON "empowerment_version"
    FOR EACH ROW EXECUTE FUNCTION "empowerment_version_append_only"();
