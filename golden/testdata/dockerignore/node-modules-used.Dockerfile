FROM node:20-slim
WORKDIR /srv
COPY . .
CMD ["node", "index.js"]
