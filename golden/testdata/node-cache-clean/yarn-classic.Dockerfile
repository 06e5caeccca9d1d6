FROM node:22
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
RUN yarn global add serve
