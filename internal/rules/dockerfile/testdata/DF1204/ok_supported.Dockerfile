FROM debian:bookworm-slim AS a
FROM debian:11 AS b
FROM ubuntu:22.04 AS c
FROM ubuntu:noble AS d
FROM alpine:3.21 AS e
FROM node:22-alpine AS f
FROM node:24-bookworm-slim AS g
FROM python:3.10-slim-bullseye AS h
FROM python:3.13 AS i
FROM golang:1.25-alpine3.22 AS j
FROM eclipse-temurin:21-jre-jammy
