FROM alpine
RUN echo "# not a comment" && echo '#nope' # trailing shell comment
ENV HASHED="#value"
CMD echo '#'
