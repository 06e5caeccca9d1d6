FROM node:22
USER node
RUN npm ci
USER root
