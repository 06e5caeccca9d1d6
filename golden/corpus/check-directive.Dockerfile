# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=true
FROM node:20
WORKDIR /app
COPY . .
RUN npm install
CMD npm run start
