# settings: {"require-digest-for": ["registry.example.com/*", "node"]}
FROM python:3.13-slim
# want DF1201 "\"registry.example.com/base/jre:21\""
FROM registry.example.com/base/jre:21
# want DF1201 "\"node:22\""
FROM node:22
FROM nodejs/custom:1
