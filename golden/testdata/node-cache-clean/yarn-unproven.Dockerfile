FROM node:22
COPY package.json yarn.lock ./
RUN yarn install --immutable
RUN yarn
