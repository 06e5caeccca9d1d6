FROM node:22
WORKDIR /app
COPY package*.json ./
RUN npm ci
RUN npm i -g pm2
