FROM python:3.13-slim-bookworm AS a
FROM node:22-alpine3.21 AS b
FROM eclipse-temurin:21-jre-alpine AS c
FROM debian:12-slim AS d
FROM rockylinux:9-minimal AS e
FROM registry.access.redhat.com/ubi9/ubi-minimal AS f
FROM php:8.3-apache AS g
FROM nginx:1.27 AS h
FROM alpine:3.21
