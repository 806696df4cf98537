-- CreateEnum
CREATE TYPE "officer_role" AS ENUM ('officer', 'admin', 'supervisor', 'leader', 'bureau');

-- CreateEnum
CREATE TYPE "certificate_status" AS ENUM ('active', 'suspended', 'withdrawn', 'cancelled');

-- CreateTable
CREATE TABLE "unit" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "officer" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "cert_no" TEXT NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "role" "officer_role" NOT NULL DEFAULT 'officer',
    "open_id" TEXT,
    "mobile" TEXT,
    "cert_status" "certificate_status" NOT NULL DEFAULT 'active',
    "cert_expires" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "officer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_event" (
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "unit_name_key" ON "unit"("name");

-- CreateIndex
CREATE UNIQUE INDEX "officer_cert_no_key" ON "officer"("cert_no");

-- CreateIndex
CREATE UNIQUE INDEX "officer_open_id_key" ON "officer"("open_id");

-- CreateIndex
CREATE INDEX "officer_unit_id_idx" ON "officer"("unit_id");

-- CreateIndex
CREATE INDEX "officer_mobile_idx" ON "officer"("mobile");

-- CreateIndex
CREATE INDEX "audit_event_subject_at_idx" ON "audit_event"("subject", "at");

-- CreateIndex
CREATE INDEX "processed_event_received_at_idx" ON "processed_event"("received_at");

-- AddForeignKey
ALTER TABLE "officer" ADD CONSTRAINT "officer_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit trail is append-only (全过程留痕、可回溯): refuse any UPDATE or DELETE of a recorded event.
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_event_no_change" BEFORE UPDATE OR DELETE ON "audit_event"
    FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
