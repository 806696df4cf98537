-- CreateTable
CREATE TABLE "pending_intent" (
    "open_id" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "args" JSONB NOT NULL DEFAULT '{}',
    "missing" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_intent_pkey" PRIMARY KEY ("open_id")
);

-- CreateIndex
CREATE INDEX "pending_intent_expires_at_idx" ON "pending_intent"("expires_at");
