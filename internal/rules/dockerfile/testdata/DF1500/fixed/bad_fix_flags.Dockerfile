# syntax=docker/dockerfile:1
FROM alpine:3.20
# The flags COPY shares with ADD are kept.
# want DF1500 "\"app.py\""
copy --chown=app:app --chmod=644 app.py /app/
# want DF1500 "\"./src\""
ADD --keep-git-dir=true ./src /src
# A name without an extension may be a tar archive ADD would unpack.
# want DF1500 "\"rootfs\""
ADD rootfs /
# want DF1500 "\"payload.bin\""
ADD payload.bin /opt/
# want DF1500 "\"\\.\""
COPY . /srv/
