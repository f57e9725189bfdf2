FROM node:20-slim AS base
WORKDIR /app
# Every image built FROM this one runs the trigger, at its ONBUILD line.
# want DF1502 "script downloaded by curl is piped into bash"
ONBUILD RUN curl -fsSL https://example.com/setup.sh | bash
ONBUILD COPY . /app
