FROM node:20-slim AS base
WORKDIR /app
FROM base AS dev
RUN npm install -g nodemon
CMD nodemon index.js
FROM base AS prod
COPY . .
RUN npm install --omit=dev
CMD node index.js
