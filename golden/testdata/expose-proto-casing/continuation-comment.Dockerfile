FROM nginx:alpine
EXPOSE 80/TCP \
    # metrics
    9113/TCP
