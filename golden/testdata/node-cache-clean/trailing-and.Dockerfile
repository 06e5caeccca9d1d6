FROM node:22
RUN npm install && \
    npm run build
