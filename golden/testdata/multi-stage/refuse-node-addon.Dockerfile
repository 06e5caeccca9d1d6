# bcrypt builds a native addon when installed: node:20-slim has no compiler.
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD ["node", "dist/index.js"]
