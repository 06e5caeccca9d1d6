from golang:1.22 as Builder
from alpine:3.20
copy --from=Builder /a /a
