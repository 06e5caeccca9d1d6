FROM busybox
RUN echo one
RUN echo two
CMD sleep infinity
