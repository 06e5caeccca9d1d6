FROM node:18-alpine
WORKDIR /app
# install deps first for caching
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
CMD node index.js
