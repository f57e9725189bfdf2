# online: [{"Tag": "docker.io/library/debian:12-slim", "Used": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Current": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "DaysBehind": 42, "Upgraded": ["openssl 3.0.11-1 -> 3.0.13-1"]}]
# want DF1207 "but the tag now names sha256:b+ .42 days newer.; it upgrades 1 OS package.s.: openssl 3.0.11-1 -> 3.0.13-1$"
FROM debian:12-slim@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
RUN echo hi
