# settings: {"trusted-registries": ["registry.example.com"], "allowed-images": ["node:*"]}
FROM node:22
FROM registry.example.com/team/app:1
# want DF1202 "\"python:3.13\" comes from docker.io"
FROM python:3.13
