FROM alpine/git
COPY . /src
RUN ["sh", "-c", "cd /src && git rev-parse HEAD > /rev"]
