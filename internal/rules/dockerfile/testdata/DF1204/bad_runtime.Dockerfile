# want DF1204 "\"node:14-alpine\": Node.js 14 reached end of life on 2023-04-30"
FROM node:14-alpine AS a
# want DF1204 "Node.js 20 reached end of life on 2026-04-30"
FROM node:20.11.1-bookworm-slim AS b
# want DF1204 "Python 3.7 reached end of life on 2023-06-27"
FROM python:3.7-slim AS c
# want DF1204 "Go 1.19 reached end of life on 2023-08-08"
FROM golang:1.19 AS d
# want DF1204 "Node.js 25 reached end of life on 2026-06-01"
FROM node:25-alpine
