FROM redis:7
HEALTHCHECK NONE
FROM postgres:16 AS db
HEALTHCHECK --interval=10s CMD ["pg_isready", "-U", "postgres"]
