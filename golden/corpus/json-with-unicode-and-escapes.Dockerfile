FROM alpine
ENTRYPOINT ["/bin/echo", "héllo\tworld", "\u00e9", "quote \" inside"]
CMD ["--", "a\\b"]
