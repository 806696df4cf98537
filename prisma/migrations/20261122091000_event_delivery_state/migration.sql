-- A delivery is taken at the door (claimed_at) and done when its answer is out (done_at). A redelivery of one
-- left unfinished past its lease is worked again; rows recorded before this migration were done when taken.
ALTER TABLE "processed_event" ADD COLUMN "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "done_at" TIMESTAMPTZ(3);

UPDATE "processed_event" SET "claimed_at" = "received_at", "done_at" = "received_at";
