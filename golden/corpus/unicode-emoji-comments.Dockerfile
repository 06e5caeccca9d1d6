# 🐳 Dockerfile with emoji comments
FROM node:20-alpine
# 📦 dependencies
COPY package.json ./
RUN npm install --production
# 🚀 start
CMD npm start
