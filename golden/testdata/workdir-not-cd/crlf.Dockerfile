FROM node:22
COPY . /app
RUN cd /app && npm ci
