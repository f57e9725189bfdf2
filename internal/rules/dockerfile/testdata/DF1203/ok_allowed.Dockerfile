# settings: {"allowed": ["debian:*"]}
FROM debian:12
