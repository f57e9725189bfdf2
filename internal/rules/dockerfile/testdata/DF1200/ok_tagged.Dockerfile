FROM alpine:3.21
FROM node:22-alpine AS build
FROM registry.example.com:5000/team/app:1.2.3
FROM localhost:5000/app:dev
