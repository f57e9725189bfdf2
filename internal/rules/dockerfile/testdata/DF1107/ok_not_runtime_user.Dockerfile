FROM ubuntu:24.04 AS build
RUN useradd -m zulip && apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
# A build stage only copied from never ships.
RUN echo 'zulip ALL=(ALL:ALL) NOPASSWD:ALL' >> /etc/sudoers
USER zulip
RUN make release

FROM ubuntu:24.04
RUN useradd -m app && useradd -m deploy
COPY --from=build /home/zulip/release /srv/release
# The rule is for another user; a rule that asks for a password; root needs no sudo.
RUN echo 'deploy ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/deploy \
 && echo 'app ALL=(ALL) ALL' > /etc/sudoers.d/app \
 && printf 'root ALL=(ALL) ALL\n' | tee -a /etc/sudoers
USER app

FROM debian:12-slim AS rootimg
RUN echo 'ALL ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers
