# syntax=docker/dockerfile:1
FROM node:22
RUN --mount=type=cache,target=/root/.npm npm ci
RUN --mount=type=cache,target=/app/.next/cache npm run build && npm prune
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
