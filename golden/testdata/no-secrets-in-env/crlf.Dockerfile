FROM postgres:16
ENV POSTGRES_PASSWORD=postgres
