# Supported on the fixtures' clock (2026-06-01), or a moving tag of an
# open major, which may point at a line the table does not know yet.
FROM python:3-slim AS py3
FROM ruby:3.4-slim AS rb
FROM php:8.3-fpm AS php
FROM postgres:16-bookworm AS pg
FROM mysql:8.4 AS my
FROM mysql:8 AS my8
FROM openjdk:26-ea-jdk AS ea
FROM eclipse-temurin:8-jre-noble
