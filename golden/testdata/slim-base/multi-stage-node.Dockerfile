# The builder keeps node:20; the final stage only runs node.
FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npx --no-install tsc -p . || true

FROM node:20
WORKDIR /app
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
