# Nothing is compiled: nothing to split.
FROM debian:bookworm
RUN apt-get update && apt-get install -y nginx
CMD ["nginx", "-g", "daemon off;"]
