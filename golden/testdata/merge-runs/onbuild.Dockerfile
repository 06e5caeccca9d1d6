FROM node:20
ONBUILD RUN npm ci
ONBUILD RUN npm run build
RUN echo base
