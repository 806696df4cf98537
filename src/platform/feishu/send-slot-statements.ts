// The statements of the shared send budget (./shared-send-budget.ts) on its two tables, feishu_send_slot (one row per
// send a window allows) and feishu_send_pause (Feishu's 429 reset, for every process of the app).

export const SECOND_MS = 1_000;

export interface TakeRow {
  leases: string[] | null;
  seconds: string;
  minutes: string;
  paused_ms: number;
  second_free_ms: number | null;
  minute_free_ms: number | null;
}

// The windows' rows, made once per app and window length (more rows than a lowered limit are simply not taken).
export const SEED = `
INSERT INTO feishu_send_slot (app_id, window_ms, slot)
SELECT $1, w.ms, s FROM (VALUES (${SECOND_MS}, $2::int), ($4::int, $3::int)) AS w(ms, n), generate_series(1, w.n) AS s
ON CONFLICT DO NOTHING`;

// Up to $5 pairs (a second-window row and a minute-window row) that are free now, unless a 429 pauses the app;
// rows another process is taking at this instant are skipped, not waited for. Also says, for a short grant,
// how long until the pause ends and the next row of each window frees.
export const TAKE = `
WITH pause AS (
  SELECT coalesce((SELECT paused_until FROM feishu_send_pause WHERE app_id = $1), '-infinity') AS until
), second AS (
  SELECT slot, row_number() OVER (ORDER BY slot) AS k FROM (
    SELECT slot FROM feishu_send_slot
    WHERE app_id = $1 AND window_ms = ${SECOND_MS} AND slot <= $2 AND free_at <= now()
      AND (SELECT until FROM pause) <= now()
    ORDER BY slot LIMIT $5 FOR UPDATE SKIP LOCKED) AS s
), minute AS (
  SELECT slot, row_number() OVER (ORDER BY slot) AS k FROM (
    SELECT slot FROM feishu_send_slot
    WHERE app_id = $1 AND window_ms = $4 AND slot <= $3 AND free_at <= now()
      AND (SELECT until FROM pause) <= now()
    ORDER BY slot LIMIT $5 FOR UPDATE SKIP LOCKED) AS m
), pair AS (
  SELECT second.slot AS second_slot, minute.slot AS minute_slot, ($6::text[])[second.k] AS lease
  FROM second JOIN minute USING (k)
), held_second AS (
  UPDATE feishu_send_slot f SET held_by = pair.lease, free_at = now() + $7 * interval '1 millisecond'
  FROM pair WHERE f.app_id = $1 AND f.window_ms = ${SECOND_MS} AND f.slot = pair.second_slot
  RETURNING pair.lease
), held_minute AS (
  UPDATE feishu_send_slot f SET held_by = pair.lease, free_at = now() + $7 * interval '1 millisecond'
  FROM pair WHERE f.app_id = $1 AND f.window_ms = $4 AND f.slot = pair.minute_slot
  RETURNING pair.lease
)
SELECT
  (SELECT array_agg(lease) FROM held_second JOIN held_minute USING (lease)) AS leases,
  (SELECT count(*) FROM second) AS seconds,
  (SELECT count(*) FROM minute) AS minutes,
  (extract(epoch FROM greatest((SELECT until FROM pause), now()) - now()) * 1000)::float8 AS paused_ms,
  (SELECT (extract(epoch FROM min(free_at) - now()) * 1000)::float8 FROM feishu_send_slot
    WHERE app_id = $1 AND window_ms = ${SECOND_MS} AND slot <= $2 AND held_by IS NULL AND free_at > now())
    AS second_free_ms,
  (SELECT (extract(epoch FROM min(free_at) - now()) * 1000)::float8 FROM feishu_send_slot
    WHERE app_id = $1 AND window_ms = $4 AND slot <= $3 AND held_by IS NULL AND free_at > now()) AS minute_free_ms`;

// A used slot frees one window after its send ended ($3: how many ms ago that was, measured by the sender, so
// the processes' clocks need not agree); an unused one frees now. A lease that ran out is no longer ours.
export const RELEASE = `
UPDATE feishu_send_slot f
SET held_by = NULL,
    free_at = CASE WHEN r.used THEN now() + (f.window_ms - r.ago_ms) * interval '1 millisecond' ELSE now() END
FROM unnest($2::text[], $3::int[], $4::bool[]) AS r(lease, ago_ms, used)
WHERE f.app_id = $1 AND f.held_by = r.lease`;

// Feishu's reset, for every process of the app; a later reset already recorded is kept.
export const PAUSE = `
INSERT INTO feishu_send_pause (app_id, paused_until) VALUES ($1, now() + $2 * interval '1 millisecond')
ON CONFLICT (app_id) DO UPDATE SET paused_until = greatest(feishu_send_pause.paused_until, excluded.paused_until)`;
