# The rust image opens its toolchain to any user that builds with it: low.
FROM debian:bookworm-slim
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo RUST_VERSION=1.83.0
# want DF1104 "chmod a\\+w makes /usr/local/rustup, /usr/local/cargo" severity=low
RUN ./rustup-init -y --no-modify-path && chmod -R a+w $RUSTUP_HOME $CARGO_HOME
