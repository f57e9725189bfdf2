FROM quay.io/prometheus/busybox
FROM someuser/toolbox:1.2
