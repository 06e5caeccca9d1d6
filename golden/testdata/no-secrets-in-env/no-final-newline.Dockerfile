FROM alpine:3.20
ENV SECRET_KEY="django-insecure-abc"