FROM node:22
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install
RUN npm install -g typescript
RUN npm i --save lodash
COPY . .
RUN npm run build && npm prune --production
CMD ["node", "dist/main.js"]
