FROM node:22
RUN curl -fsSL https://deb.nodesource.com/setup_22.x \
# nodesource
    | bash - \
 && apt-get install -y nodejs
