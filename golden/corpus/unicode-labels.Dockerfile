FROM debian:bookworm-slim
LABEL org.opencontainers.image.authors="José Müller <jose@example.com>" \
      org.opencontainers.image.description="Überprüfung – 日本語の説明 🚀"
# Kommentar: Paketinstallation für Älteres
RUN apt-get update && apt-get install -y locales && echo "größe ✓"
ENV GREETING="こんにちは"
CMD echo "$GREETING"
