-- Issue 18: Feishu's per-app send limits (50/s, 1,000/min) rationed across every process of the app, not per
-- process. Each window is a table of slots, as many as the window allows: a send holds one slot of each window
-- while it is in flight (held_by, with a lease in free_at in case its process dies), and on its end the slot
-- frees one window later (free_at = end + window_ms). At most `limit` sends are then in flight or ended within
-- the last window, in every process together: the same rule the in-memory budget keeps per process.

-- CreateTable
CREATE TABLE "feishu_send_slot" (
    "app_id" TEXT NOT NULL,
    "window_ms" INTEGER NOT NULL,
    "slot" INTEGER NOT NULL,
    "free_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "held_by" TEXT,

    CONSTRAINT "feishu_send_slot_pkey" PRIMARY KEY ("app_id","window_ms","slot")
);

-- A 429 from Feishu pauses every process of the app until Feishu's reset.
-- CreateTable
CREATE TABLE "feishu_send_pause" (
    "app_id" TEXT NOT NULL,
    "paused_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feishu_send_pause_pkey" PRIMARY KEY ("app_id")
);
