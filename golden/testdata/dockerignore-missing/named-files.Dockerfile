FROM node:22
COPY package.json package-lock.json ./
COPY src/ ./src/
