FROM rust:1.84 AS build
RUN cargo build --release

FROM scratch AS base
FROM base
COPY --from=build /target/release/app /app
