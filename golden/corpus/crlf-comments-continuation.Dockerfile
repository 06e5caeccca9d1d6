FROM debian:bullseye-slim
RUN apt-get update \
# first the tools
 && apt-get install -y --no-install-recommends \
    curl \

    # then the libraries
    libxml2 \
 && echo done
CMD echo "$HOME"
