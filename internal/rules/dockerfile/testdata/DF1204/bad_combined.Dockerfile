# want DF1204 "\"node:18-bullseye\": Node.js 18 reached end of life on 2025-04-30$"
FROM node:18-bullseye AS a
# want DF1204 "\"python:3.11-buster\": Debian 10 .buster. reached end of life on 2024-06-30$"
FROM python:3.11-buster AS b
# want DF1204 "Go 1.21 reached end of life on 2024-08-13; Alpine 3.18 reached end of life on 2025-05-09"
FROM golang:1.21-alpine3.18 AS c
# want DF1204 "Ubuntu 20.04 .focal."
FROM eclipse-temurin:17-jre-focal AS d
# want DF1204 "Alpine 3.15"
FROM ruby:2.7-alpine3.15
