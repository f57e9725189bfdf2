# settings: {"allowed": ["ubuntu:*"]}
FROM ubuntu:24.04
