-- CreateEnum
CREATE TYPE "training_category" AS ENUM ('public_law', 'business', 'skills');

-- CreateEnum
CREATE TYPE "training_source" AS ENUM ('import', 'self_report', 'admin');

-- CreateEnum
CREATE TYPE "training_record_status" AS ENUM ('pending', 'confirmed', 'rejected');

-- CreateTable
CREATE TABLE "training_record" (
    "id" SERIAL NOT NULL,
    "officer_id" INTEGER NOT NULL,
    "course" TEXT NOT NULL,
    "category" "training_category" NOT NULL,
    "half_hours" INTEGER NOT NULL,
    "date" DATE NOT NULL,
    "source" "training_source" NOT NULL,
    "status" "training_record_status" NOT NULL,
    "confirmed_by" TEXT,
    "reject_reason" TEXT,
    "workflow_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "training_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_requirement" (
    "year" INTEGER NOT NULL,
    "required_hours" INTEGER NOT NULL DEFAULT 60,
    "per_category" JSONB NOT NULL DEFAULT '{}',
    "checkpoints" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "training_requirement_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "training_campaign" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "course" TEXT NOT NULL,
    "deadline" DATE NOT NULL,
    "units" TEXT[],

    CONSTRAINT "training_campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_shortfall" (
    "year" INTEGER NOT NULL,
    "cert_no" TEXT NOT NULL,
    "unit_name" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "half_hours" INTEGER NOT NULL,
    "required" INTEGER NOT NULL,
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_shortfall_pkey" PRIMARY KEY ("year","cert_no")
);

-- CreateIndex
CREATE UNIQUE INDEX "training_record_workflow_id_key" ON "training_record"("workflow_id");

-- CreateIndex
CREATE INDEX "training_record_officer_id_date_idx" ON "training_record"("officer_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "training_campaign_name_key" ON "training_campaign"("name");

-- AddForeignKey
ALTER TABLE "training_record" ADD CONSTRAINT "training_record_officer_id_fkey" FOREIGN KEY ("officer_id") REFERENCES "officer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Re-importing the same file adds nothing twice (imported rows only: an officer may report the same course twice).
CREATE UNIQUE INDEX "training_record_import_key" ON "training_record"("officer_id", "course", "date", "category", "half_hours") WHERE "source" = 'import';
