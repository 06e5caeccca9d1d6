FROM debian:12-slim
WORKDIR /app
# The application
COPY . .

# System dependencies
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 1001 app && mkdir -p /var/log/app
USER app
CMD ["/app/run.sh"]
