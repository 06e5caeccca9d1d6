FROM node:20-slim
COPY . /srv
CMD ["node", "/srv/index.js"]
