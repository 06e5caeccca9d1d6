FROM debian:12
RUN apt-get update && \
	apt-get install -y curl
RUN curl -o /tmp/x.tgz https://example.com/x.tgz
RUN tar -C /opt -xzf /tmp/x.tgz && \
	rm /tmp/x.tgz
