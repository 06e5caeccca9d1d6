FROM \
# the cache
    redis
ONBUILD RUN echo hi
