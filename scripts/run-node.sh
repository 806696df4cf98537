#!/bin/sh
# How `npm start`, `npm run bot` and `npm run worker` run node (bench:door and bench:memory start LawDesk through it
# too, so they measure what ships). Measured with bench/idle-memory.ts and bench/door.ts (README "Idle memory").
# By default node runs with glibc's and V8's own settings: the door's speed under a burst (ack p99 at 200 events/s)
# needs them. A machine short of memory can trade that speed for ~40 MB less with
#   MALLOC_ARENA_MAX=1 LAWDESK_NODE_FLAGS=--max-semi-space-size=1
# (one malloc arena instead of one per busy thread; V8's young generation kept small): ack p99 ~80 ms instead of ~50 ms.
# Stack traces name dist/*.js lines; NODE_OPTIONS=--enable-source-maps maps them to the TypeScript sources, at ~10 MB.
# `exec`: node replaces this shell, so signals reach it directly.
# shellcheck disable=SC2086 # the flags are separate words
exec node ${LAWDESK_NODE_FLAGS:-} "$@"
