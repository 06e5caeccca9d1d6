FROM node:22
COPY * /app/