FROM node:22
RUN npm ci --omit=dev \
# build the assets
    && npm run build \
    # keep only the output
    && rm -rf src
