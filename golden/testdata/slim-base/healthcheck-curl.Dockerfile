FROM node:20
COPY . .
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:3000/health || exit 1
CMD ["node", "server.js"]
