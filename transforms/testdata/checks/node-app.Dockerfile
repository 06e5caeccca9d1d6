ARG NODE_TAG=latest
FROM node:${NODE_TAG}
ENV NPM_TOKEN=npm_abcdef
RUN curl -fsSL https://example.com/setup.sh | bash -
RUN cd /app && npm ci
COPY . /app
USER node
CMD npm start
