# syntax=docker/dockerfile:1
FROM node:22
RUN ["npm", "ci"]
RUN <<EOF
npm install
EOF
ONBUILD RUN npm ci
