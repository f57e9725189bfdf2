# settings: {"eol-data": ["testdata/DF1204/eol-override.json"]}
FROM debian:trixie-slim AS a
FROM node:22
