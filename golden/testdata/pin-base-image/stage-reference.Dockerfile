FROM debian:12 AS base
FROM base AS dev
RUN echo dev
FROM dev
