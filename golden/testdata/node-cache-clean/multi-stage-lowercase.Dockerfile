from node:22 as build
run npm ci && npm run build

from node:22-slim
copy --from=build /app/dist /app
run npm ci --omit=dev
