FROM node:20-bookworm
WORKDIR /srv
COPY . .
RUN npm ci --ignore-scripts --omit=dev
CMD ["node", "server.js"]
