FROM node:20-alpine
onbuild run npm install
ONBUILD CMD ["node", "."]
OnBuild Copy . /app
