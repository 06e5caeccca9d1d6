FROM node:20
COPY . /app
RUN cd /app && npm install
CMD node /app/index.js