# settings: {"eol-data": ["testdata/DF1204/eol-override.json"]}
# want DF1204 "Debian 12 .bookworm. reached end of life on 2026-01-01"
FROM debian:bookworm-slim AS a
FROM node:22 AS b
# want DF1204 "Node.js 26 is past end of life"
FROM node:26
