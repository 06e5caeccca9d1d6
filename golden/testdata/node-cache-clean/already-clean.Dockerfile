FROM node:22
RUN npm ci && npm cache clean --force
RUN npm install -g typescript && rm -rf /root/.npm
RUN yarn install && yarn cache clean
