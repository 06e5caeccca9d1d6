FROM node:22
RUN npm ci
USER node
CMD ["node", "server.js"]
