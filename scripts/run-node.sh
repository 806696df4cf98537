#!/bin/sh
# How `npm start`, `npm run bot` and `npm run worker` run node (bench:door and bench:memory start LawDesk through it
# too, so they measure what ships). Measured with bench/idle-memory.ts and bench/door.ts (README "Idle memory").
#   MALLOC_ARENA_MAX=2   glibc gave each thread (Temporal's core, libuv, V8) a 64 MB arena of its own: ~120 MB of node.
#   LAWDESK_NODE_FLAGS   node's own flags, none by default. A machine short of memory can trade the door's speed for
#                        less memory with MALLOC_ARENA_MAX=1 LAWDESK_NODE_FLAGS=--max-semi-space-size=1 (V8's young
#                        generation stays small: node 251 → 227 MB idle after use, 77 MB less just after start; more
#                        collections, ack p99 at 200 events/s ~80 ms instead of ~45 ms).
# Stack traces name dist/*.js lines; NODE_OPTIONS=--enable-source-maps maps them to the TypeScript sources, at ~10 MB.
# `exec`: node replaces this shell, so signals reach it directly. A value set in the environment wins.
: "${MALLOC_ARENA_MAX:=2}"
export MALLOC_ARENA_MAX
# shellcheck disable=SC2086 # the flags are separate words
exec node ${LAWDESK_NODE_FLAGS:-} "$@"
