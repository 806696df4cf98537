-- A step's deadline counted through a year whose State Council holiday notice was not loaded yet is planned on
-- weekends and the statutory holidays and marked provisional (暂定); loading the year recomputes the open ones
-- (found through the (state, due_at) index: open rows only).
ALTER TABLE "deadline_item" ADD COLUMN "provisional" BOOLEAN NOT NULL DEFAULT false;
