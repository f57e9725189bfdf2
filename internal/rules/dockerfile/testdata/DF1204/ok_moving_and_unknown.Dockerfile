FROM debian:stable-slim AS a
FROM node:lts-alpine AS b
FROM python:3 AS c
FROM golang:1 AS d
FROM alpine AS e
FROM alpine:edge AS f
FROM debian@sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c AS g
FROM someuser/debian:buster AS h
FROM ghcr.io/acme/node:14 AS i
FROM nginx:1.20 AS j
FROM node:99 AS k
ARG OLD
FROM node:${OLD}
