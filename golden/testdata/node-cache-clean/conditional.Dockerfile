FROM node:22
RUN if [ -f package-lock.json ]; then npm ci; else npm install; fi
RUN npm ci || npm install
RUN npm ci --cache /tmp/npm-cache
