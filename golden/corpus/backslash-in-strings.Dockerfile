FROM alpine
RUN echo "a\\b" > /tmp/x && printf 'tab\there\n' >> /tmp/x
RUN sed -i -e 's/\\/\//g' /tmp/x
ENV WIN_PATH="C:\\Program Files\\App"
LABEL description="path with \\ backslash"
CMD ["sh", "-c", "cat /tmp/x | tr '\\\\' '/'"]
