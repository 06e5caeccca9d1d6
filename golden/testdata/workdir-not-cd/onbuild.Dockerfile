FROM node:22
ONBUILD RUN cd /app && npm ci
