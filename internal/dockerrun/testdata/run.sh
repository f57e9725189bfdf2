#!/bin/bash
set -e
# shipshape ignore=RT1001 -- dev only
docker run -d --name db \
  --privileged=true \
  --cap-add SYS_ADMIN --cap-add=cap_net_admin --cap-drop ALL \
  -v /var/run/docker.sock:/var/run/docker.sock:ro \
  --mount type=bind,src=/etc,dst=/host/etc,bind-propagation=rshared \
  -p 127.0.0.1:5432:5432 -p 8080:80/udp -p 9000 \
  -e POSTGRES_PASSWORD=example -e FROM_HOST -e "TOKEN=$TOKEN" \
  -m 512m --cpus 1.5 --pids-limit 100 \
  --security-opt seccomp=unconfined --read-only --tmpfs /tmp:rw,size=64m \
  --network host --pid=host --ipc host --uts host --userns host --cgroup-parent /custom \
  --device /dev/fuse -u 0 --no-healthcheck --restart on-failure:5 --ulimit nofile=1024:4096 \
  postgres:16 postgres -c fsync=off
if true; then
  CID=$(sudo docker container run -itd --rm alpine:3.20 sh) # trailing
fi
podman run --health-cmd "curl -f localhost" -dp 80:80 nginx
echo docker run is mentioned here
docker build -t x .
