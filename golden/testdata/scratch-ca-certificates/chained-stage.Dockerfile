FROM scratch AS base
COPY app /app
FROM base
HEALTHCHECK CMD ["/app", "-probe", "https://localhost:8443"]
ENTRYPOINT ["/app"]
