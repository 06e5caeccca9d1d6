from node:20-alpine
workdir /app
add package.json package-lock.json ./
run npm ci
add src/ ./src/
