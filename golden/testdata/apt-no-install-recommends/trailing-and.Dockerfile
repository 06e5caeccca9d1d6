FROM ubuntu:24.04
RUN apt-get update && \
	apt-get install -y --quiet \
		wget=1.21.4-1ubuntu4 \
		unzip && \
	rm -rf /var/lib/apt/lists/*
