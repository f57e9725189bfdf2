# The end-of-life bases the real-world corpus holds that the table lacked.
# want DF1204 "Python 2.7 reached end of life on 2020-01-01"
FROM python:2-alpine AS py2
# want DF1204 "the openjdk image's 8 tags reached end of life on 2022-08-01"
FROM openjdk:8-jdk-alpine AS jdk
# want DF1204 "CentOS 7 reached end of life on 2024-06-30"
FROM centos:centos7 AS el7
# want DF1204 "Ruby 2.7 reached end of life on 2023-03-31"
FROM ruby:2 AS rb
# want DF1204 "PHP 7.4 reached end of life on 2022-11-28"
FROM php:7.4-fpm AS php
# want DF1204 "PostgreSQL 9.6 reached end of life on 2021-11-11"
FROM postgres:9.6-alpine AS pg
# want DF1204 "MySQL 5.6 reached end of life on 2021-02-28"
FROM mysql:5.6 AS my
