-- CreateEnum
CREATE TYPE "calendar_day_kind" AS ENUM ('holiday', 'workday');

-- CreateTable
CREATE TABLE "calendar_year" (
    "year" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_year_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "calendar_day" (
    "date" DATE NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" "calendar_day_kind" NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "calendar_day_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "certificate_expiry_notice" (
    "cert_no" TEXT NOT NULL,
    "expires" DATE NOT NULL,
    "milestone" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_expiry_notice_pkey" PRIMARY KEY ("cert_no","expires","milestone")
);

-- CreateIndex
CREATE INDEX "calendar_day_year_idx" ON "calendar_day"("year");

-- AddForeignKey
ALTER TABLE "calendar_day" ADD CONSTRAINT "calendar_day_year_fkey" FOREIGN KEY ("year") REFERENCES "calendar_year"("year") ON DELETE CASCADE ON UPDATE CASCADE;
