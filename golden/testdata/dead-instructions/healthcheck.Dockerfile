FROM nginx:alpine
HEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1
HEALTHCHECK --interval=30s \
    CMD wget -q -O- http://localhost/health || exit 1
