-- Issue 20, item 5: notices are owed first and recorded as given only once Feishu accepted them.

-- CreateTable
CREATE TABLE "notice_delivery" (
    "key" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "notice" TEXT NOT NULL,
    "open_id" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "owed_by" TEXT NOT NULL,
    "owed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "given_by" TEXT,
    "given_at" TIMESTAMPTZ(3),
    "message_id" TEXT,
    "last_error" TEXT,

    CONSTRAINT "notice_delivery_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "notice_delivery_topic_given_at_idx" ON "notice_delivery"("topic", "given_at");

-- CreateIndex
CREATE INDEX "notice_delivery_given_by_topic_idx" ON "notice_delivery"("given_by", "topic");

-- The digests already delivered (digest_delivery was written after Feishu accepted each) carry over as given,
-- under the key the digest uses as its uuid, so a rerun the day of the upgrade sends nobody a second card.
INSERT INTO "notice_delivery" ("key", "topic", "notice", "open_id", "content", "owed_by", "owed_at", "given_by", "given_at", "message_id")
SELECT "kind" || '-' || to_char("day", 'YYYY-MM-DD') || '-' || "open_id",
       'digest/' || "kind" || '/' || to_char("day", 'YYYY-MM-DD'),
       "kind" || '-' || to_char("day", 'YYYY-MM-DD') || '-' || "open_id",
       "open_id", '{}'::jsonb, 'digest_delivery', "sent_at", 'digest_delivery', "sent_at", "message_id"
FROM "digest_delivery";

-- DropTable
DROP TABLE "digest_delivery";
