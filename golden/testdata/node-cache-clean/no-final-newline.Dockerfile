FROM node:22
RUN npm install