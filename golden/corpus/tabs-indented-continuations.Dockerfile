FROM alpine:3.20
RUN set -eux; \
	apk add --no-cache \
		bash \
		curl \
	; \
	curl --version
	CMD ["bash"]
