FROM debian:12
RUN ./server --port 8080 &
RUN curl -fsS http://localhost:8080/health
